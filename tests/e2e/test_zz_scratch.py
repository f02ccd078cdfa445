import pytest, time
from playwright.sync_api import Page
from .conftest import wait_for_app, wait_for_page, script_runs, map_frame
pytestmark = pytest.mark.e2e

def test_explore(page: Page, dashboard, browser_errors):
    page.goto(dashboard.url + "produk?kecamatan=Wlingi")
    wait_for_app(page)
    sidebar = page.get_by_test_id("stSidebar")
    print(sidebar.get_by_test_id("stMultiSelectTagsContainer").first.inner_html()[:1500])
    print(page.get_by_test_id("stSidebarNav").get_by_role("link").all_inner_texts())
    print([l.get_attribute("href") for l in page.get_by_test_id("stSidebarNav").get_by_role("link").all()])
    print("METRICS", page.get_by_test_id("stMetric").all_inner_texts())
    print(page.title())
    print(page.get_by_test_id("stCaptionContainer").all_inner_texts())

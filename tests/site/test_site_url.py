"""Canonical links and the sitemap name the public address, and only when SITE_URL gives one."""

import os
import re
import subprocess
import sys

import build
from sitehtml import html_pages

ROOT = build.ROOT
LOCAL = re.compile(r"https?://(127\.\d+\.\d+\.\d+|localhost|\[::1\])[:/]")


def run_build(tmp_path, site_url):
    """Build the site into tmp_path/site with or without SITE_URL; return the finished process."""
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    if site_url:
        env["SITE_URL"] = site_url
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--site-dir", str(tmp_path / "site")],
                            capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def test_no_page_or_sitemap_of_the_built_site_names_a_local_address(site_dir):
    named = [rel for lang in ("zh", "en") for rel, path in html_pages(site_dir, lang).items()
             if LOCAL.search(path.read_text(encoding="utf-8"))]
    named += [p.name for p in site_dir.glob("sitemap.xml") if LOCAL.search(p.read_text(encoding="utf-8"))]
    assert named == []


def test_a_build_without_site_url_warns_and_writes_no_canonical_link_or_sitemap(tmp_path):
    result = run_build(tmp_path, None)
    assert "warning: SITE_URL is not set" in result.stderr
    site = tmp_path / "site"
    assert not (site / "sitemap.xml").exists() and not (site / "sitemap.xml.gz").exists()
    assert 'rel="canonical"' not in (site / "notice" / "index.html").read_text(encoding="utf-8")


def test_a_build_with_site_url_writes_canonical_links_and_a_sitemap_with_it(tmp_path):
    url = "https://www.example.gov.cn/kjj/guide/"
    result = run_build(tmp_path, url)
    assert "SITE_URL" not in result.stderr
    site = tmp_path / "site"
    assert f'<link rel="canonical" href="{url}en/notice/">' in (site / "en" / "notice" / "index.html").read_text(encoding="utf-8")
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{url}notice/</loc>" in sitemap and not LOCAL.search(sitemap)

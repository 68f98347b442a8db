"""MkDocs hooks (mkdocs.yml `hooks:`), run by any mkdocs build of the generated pages.

Material's search plugin would cut every page into sections and segment their Chinese with jieba,
about a third of mkdocs' own time here; build.py then throws those entries away and writes its own
(sitegen/search.py). So every page is marked `search: exclude`: the plugin still writes its file with
the config the search box needs, and indexes nothing.
"""


def on_page_markdown(markdown, page, **kwargs):
    """Mark the page as one the search plugin does not index (the site's own index has it)."""
    page.meta["search"] = {**(page.meta.get("search") or {}), "exclude": True}
    return markdown

"""Pages made by tests as editors make them."""


def publish(page):
    """The page published as an editor publishes it. Called inside `deferred_indexing()`
    with the page's making, so that a page saved several times over (made, a revision,
    published) is put in the search and reference indexes once, at the end."""
    page.save_revision().publish()
    page.refresh_from_db()
    return page

"""The built site on real static servers under /guide/: Python's http.server and Debian's nginx."""

import pytest

from hostsupport import NGINX, PREFIX, NginxServer, nginx_available
from support import StaticServer


@pytest.fixture(scope="module", params=["http.server", "nginx"])
def host(request, site_dir):
    """The site under /guide/ on each real server in turn."""
    if request.param == "nginx":
        available, reason = nginx_available()
        if not available:
            if reason:
                pytest.skip(reason)
            pytest.fail(f"nginx is missing ({NGINX}): run `make browser` as root")
        srv = NginxServer(site_dir)
    else:
        srv = StaticServer(site_dir, prefix=PREFIX)
    srv.kind = request.param
    yield srv
    srv.close()

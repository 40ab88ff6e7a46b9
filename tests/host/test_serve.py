"""``spotting serve``: what each audience gets, before any server starts.

The browser tests are in tests/e2e/host/test_serve.py."""

from __future__ import annotations

import argparse
import dataclasses
import io
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from spotting.cli import main
from spotting_host import serve


def plan_for(*argv: str) -> serve.Plan:
    parser = argparse.ArgumentParser()
    serve.add_arguments(parser)
    return serve.make_plan(parser.parse_args(argv))


def test_no_options_suits_one_person_on_their_own_computer() -> None:
    plan = plan_for()
    assert (plan.dashboard, plan.ip, plan.port) == ("explorer", "127.0.0.1", 8866)
    assert plan.pool_size == 1
    assert plan.learners < plan.max_kernels <= 6
    assert serve.urls(plan) == ["http://127.0.0.1:8866/"]


def test_a_class_gets_a_kernel_ready_for_each_learner_and_a_limit_just_above() -> None:
    plan = plan_for("--learners", "30")
    assert plan.pool_size == 30  # the whole class can arrive at once
    assert 30 < plan.max_kernels <= 40  # room for reloads, but a reload storm cannot double the memory


@pytest.mark.parametrize("learners", [1, 2, 5, 10, 30, 60, 200])
def test_the_limit_always_leaves_room_for_every_learner_and_a_reload(learners: int) -> None:
    pool = serve.pool_size_for(learners)
    limit = serve.max_kernels_for(learners, pool)
    assert 1 <= pool <= learners
    assert limit >= max(learners, pool) + 4


def test_the_limit_can_be_set_by_hand() -> None:
    assert plan_for("--learners", "30", "--max-kernels", "35").max_kernels == 35


def test_each_dashboard_keeps_its_usual_port_unless_told() -> None:
    assert plan_for("teaching").port == 8867
    assert plan_for("review").port == 8868
    assert plan_for("review", "--port", "9100").port == 9100


def test_network_binds_every_interface_and_prints_the_lan_addresses() -> None:
    plan = plan_for("--network", "--learners", "30")
    assert plan.ip == "0.0.0.0"
    assert serve.urls(plan, lan=["192.168.1.23", "10.0.0.5"]) == ["http://192.168.1.23:8866/", "http://10.0.0.5:8866/"]
    assert all(not address.startswith("127.") for address in serve.lan_addresses())


def test_voila_gets_the_pool_the_limit_and_the_kernel_manager() -> None:
    options = plan_for("--learners", "30").voila_options()
    assert options[0] == "notebooks/explorer.ipynb"
    assert "--VoilaConfiguration.preheat_kernel=True" in options
    assert "--VoilaConfiguration.default_pool_size=30" in options
    assert f"--VoilaConfiguration.multi_kernel_manager_class={serve.KERNEL_MANAGER}" in options
    assert "--ClassroomKernelManager.max_kernels=36" in options
    assert "--Voila.port_retries=0" in options  # the printed address is the real one


def test_the_region_is_checked_before_any_server_starts() -> None:
    assert plan_for("--region", "gb").region == "GB"
    assert plan_for().region is None
    for bad in (" ", "GB-SCT"):
        code, _, err = run_cli("serve", "--region", bad)
        assert code == 2 and "--region must be one of GB, IE, US, CA, AU, NZ, other" in err, err


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_info, pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stderr", err)
        main(list(argv), stdout=out, stderr=err)
    return int(exit_info.value.code or 0), out.getvalue(), err.getvalue()


def test_a_mistyped_option_is_refused_with_its_name() -> None:
    code, _, err = run_cli("serve", "--learnrs=30")
    assert code == 2 and "--learnrs=30" in err and "Traceback" not in err


def test_voila_options_are_passed_through_and_nothing_else() -> None:
    assert serve.check_voila_options(["--MappingKernelManager.cull_interval=1"]) is None
    assert serve.check_voila_options(["--debug"]) == "--debug"
    code, _, err = run_cli("explain", "--MappingKernelManager.cull_interval=1")
    assert code == 2 and "unrecognized" in err


def test_the_hand_out_of_a_pooled_kernel_is_wrapped_when_voila_builds_its_manager() -> None:
    """If a Voila upgrade renames the hand-out, this fails instead of culling kernels silently again."""
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    from spotting_host.voila_ext import ClassroomKernelManager

    pooled = voila_kernel_manager_factory(ClassroomKernelManager, True, 1)
    for method in ("get_rendered_notebook", "_initialize"):  # the hand-out, and the warm-up that takes turns
        assert method in pooled.__dict__
        assert getattr(pooled, method).__wrapped__.__qualname__.endswith(f"VoilaKernelManager.{method}")
    assert pooled.pooling_wrapped and not voila_kernel_manager_factory(ClassroomKernelManager, False, 1).pooling_wrapped


def test_a_voila_whose_pooling_manager_lost_a_wrapped_method_is_refused_naming_it() -> None:
    """The wrap used to skip a method it did not find: a renamed hand-out would have served on,
    culling kernels as they were handed out. Now the class is refused as Voila builds it."""
    from spotting_host.voila_ext import ClassroomKernelManager, UpstreamChanged

    with pytest.raises(UpstreamChanged, match=r"no longer defines _initialize, fill_if_needed, which spotting_host"):

        class RenamedWarmUp(ClassroomKernelManager):  # as a Voila that renamed its warm-up would make it
            async def get_rendered_notebook(self, notebook_name: str) -> None: ...

            def get_pool_size(self, notebook_name: str) -> int:
                return 0


def test_a_preheating_manager_that_was_not_wrapped_stops_the_server_before_it_listens() -> None:
    from spotting_host.voila_ext import ClassroomKernelManager, ClassroomVoila, UpstreamChanged

    unwrapped = ClassroomKernelManager()  # the base class, not Voila's pooling subclass
    server = SimpleNamespace(kernel_manager=unwrapped, voila_configuration=SimpleNamespace(preheat_kernel=True))
    with pytest.raises(UpstreamChanged, match="not wrapped"):
        ClassroomVoila.check_kernel_manager(server)
    server.voila_configuration.preheat_kernel = False  # no pool, nothing to wrap: serves as before
    ClassroomVoila.check_kernel_manager(server)


def test_a_voila_that_no_longer_routes_to_the_replaced_handlers_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the page handler the busy page and the kernel limit's answer would silently go."""
    from voila.app import Voila

    from spotting_host.voila_ext import ClassroomVoila, UpstreamChanged

    monkeypatch.setattr(Voila, "init_handlers", lambda self: [("/(.*)", object)])
    server = ClassroomVoila()
    server.identity_provider = SimpleNamespace(get_handlers=list)  # made by initialize(), which is not run here
    with pytest.raises(UpstreamChanged, match="no longer routes to TornadoVoilaHandler, TemplateStaticFileHandler"):
        server.init_handlers()


def test_an_upstream_change_is_one_line_from_spotting_serve(monkeypatch: pytest.MonkeyPatch) -> None:
    from spotting_host import voila_ext

    def launch(**_options: object) -> None:
        raise voila_ext.UpstreamChanged("Voila no longer routes to X")

    monkeypatch.setattr(serve.subprocess, "run", lambda *args, **kwargs: serve.subprocess.CompletedProcess(args, 0))
    monkeypatch.setattr(voila_ext.ClassroomVoila, "launch_instance", launch)
    monkeypatch.chdir(serve.ROOT)
    monkeypatch.delenv("JUPYTER_PATH", raising=False)  # run() sets it for Voila; put back afterwards
    err = io.StringIO()
    assert main(["serve"], stdout=io.StringIO(), stderr=err) == 1
    assert err.getvalue() == "spotting: Voila no longer routes to X\n"


def test_the_busy_page_is_plain_local_and_says_what_to_do() -> None:
    from spotting_host.voila_ext import BUSY_PAGE, RETRY_AFTER_SECONDS

    assert '<html lang="en">' in BUSY_PAGE
    assert re.search(r"<h1>[^<]+</h1>", BUSY_PAGE)
    assert "Try again in a minute" in BUSY_PAGE and RETRY_AFTER_SECONDS == 60
    assert "<script" not in BUSY_PAGE and "http" not in BUSY_PAGE  # nothing to load, from nowhere else


def test_the_first_line_says_what_is_served_for_whom() -> None:
    assert serve.describe(plan_for("teaching", "--learners", "30")).startswith(
        "Serving the teaching session for 30 learners: 30 kernel(s) kept ready, at most 36 at once."
    )
    assert set(serve.TITLES) == set(serve.DASHBOARDS)


def test_the_facilitator_page_has_its_own_port_and_never_goes_on_the_network() -> None:
    plan = plan_for("facilitator")
    assert (plan.notebook, plan.port, plan.ip) == ("notebooks/facilitator.ipynb", 8869, "127.0.0.1")
    assert len({port for _, port in serve.DASHBOARDS.values()}) == len(serve.DASHBOARDS)
    code, _, err = run_cli("serve", "facilitator", "--network")
    assert code == 2 and "served to this computer only" in err and "serve teaching --network" in err


def test_a_network_session_writes_a_join_page_and_says_where(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The address learners type, with its QR code, in a file the facilitator opens on the projector."""
    from spotting_host import voila_ext

    launched: dict[str, object] = {}
    monkeypatch.setattr(serve, "lan_addresses", lambda: ["192.168.1.23"])
    monkeypatch.setattr(voila_ext.ClassroomVoila, "launch_instance", lambda **kw: launched.update(kw))
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    assert main(["serve", "teaching", "--network", "--learners", "30"], stdout=out, stderr=err) == 0, err.getvalue()
    page = tmp_path / "spotting-join-8867.html"
    assert f"open this file in a browser: {page.as_uri()}" in out.getvalue()
    html = page.read_text(encoding="utf-8")
    assert "http://192.168.1.23:8867/" in html and 'aria-label="QR code for http://192.168.1.23:8867/"' in html
    assert launched["announce"] == ["http://192.168.1.23:8867/"]


def test_workers_share_the_class_the_pools_and_the_limit_without_growing_them() -> None:
    from spotting_host import workers

    plan = plan_for("--learners", "25", "--workers", "2", "--network")
    shares = workers.worker_plans(plan, [9001, 9002])
    assert [w.plan.learners for w in shares] == [13, 12]
    assert sum(w.plan.pool_size for w in shares) == plan.pool_size
    assert sum(w.plan.max_kernels for w in shares) == plan.max_kernels  # the memory planned for, not more
    assert all(w.plan.ip == "127.0.0.1" for w in shares)  # only nginx faces the network
    assert [w.prefix for w in shares] == ["00", "01"]
    options = shares[1].plan.voila_options()
    assert "--ClassroomKernelManager.kernel_id_prefix=01" in options
    assert "--port=9002" in options


def test_each_worker_routes_its_own_kernels_and_nginx_logs_no_request() -> None:
    from pathlib import Path

    from spotting_host import workers

    shares = workers.worker_plans(plan_for("--learners", "20", "--workers", "2"), [9001, 9002])
    config = workers.nginx_config("0.0.0.0", 8866, shares, Path("/run/x"), as_root=False)
    for share in shares:  # the websocket, the close beacon and the other kernel URLs go to the kernel's worker
        assert f'"~/(?:api/kernels|voila/api/shutdown|voila/query|voila/execution)/{share.prefix}"' in config
        assert f"server 127.0.0.1:{share.plan.port};" in config
    assert "listen 0.0.0.0:8866;" in config
    assert "proxy_set_header Upgrade $http_upgrade;" in config
    assert "access_log off;" in config and "log_format" not in config  # no addresses, paths or query strings
    assert "error_log stderr crit;" in config
    assert "user " not in config  # not root: nothing to drop to


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--workers", "3", "--learners", "2"], "--workers 3 needs --learners 3 or more"),
        (["--workers", "2", "--learners", "4", "--max-kernels", "3"], "--workers 2 needs --max-kernels 4 or more"),
    ],
)
def test_workers_that_cannot_share_the_class_are_refused_before_anything_starts(argv: list[str], message: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["serve", *argv], stdout=out, stderr=err) == 2
    assert message in err.getvalue() and "Traceback" not in err.getvalue()
    assert out.getvalue() == ""  # nothing was served


def test_a_kernel_id_names_its_worker_and_is_still_a_random_uuid() -> None:
    import uuid

    from spotting_host.voila_ext import ClassroomKernelManager

    manager = ClassroomKernelManager(kernel_id_prefix="01")
    ids = {manager.new_kernel_id() for _ in range(50)}
    assert len(ids) == 50 and all(kernel.startswith("01") for kernel in ids)
    assert all(uuid.UUID(kernel).version == 4 for kernel in ids)
    with pytest.raises(ValueError, match="hex digits"):
        ClassroomKernelManager(kernel_id_prefix="w1")


def test_without_nginx_workers_stop_with_the_line_that_installs_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from spotting_host import workers

    monkeypatch.setattr(workers.shutil, "which", lambda _name: None)
    monkeypatch.setattr(workers, "NGINX_PATHS", ())
    out, err = io.StringIO(), io.StringIO()
    assert workers.run_workers(plan_for("--workers", "2", "--learners", "2"), [], [], out, err) == 1
    assert "--workers needs Debian's nginx: run 'apt-get install -y nginx'" in err.getvalue()


# -- A server no one can lock out (issue 20, items 4 to 7; issue 19, item 9) ---------------------


def test_one_person_gets_their_kernels_back_first_and_a_dead_kernel_is_never_restarted() -> None:
    alone = plan_for().voila_options()
    assert "--ClassroomKernelManager.one_person=True" in alone
    assert "--KernelRestarter.restart_limit=0" in alone  # a restarted kernel has lost its page
    assert "--ClassroomKernelManager.one_person=True" not in plan_for("--learners", "5").voila_options()
    worker = plan_for("--learners", "2", "--workers", "2")
    one_of_two = dataclasses.replace(worker, learners=1, worker_index=0)  # a worker with one learner
    assert "--ClassroomKernelManager.one_person=True" not in one_of_two.voila_options()


def test_a_page_that_never_connects_is_abandoned_after_the_grace_and_not_before() -> None:
    from spotting_host.voila_ext import PageKernel, abandoned, connected

    page = PageKernel("k", alone_since=100.0)
    assert not abandoned(page, 149.0, grace=50) and abandoned(page, 150.0, grace=50)
    opened = connected(page, 1, 120.0)
    assert not abandoned(opened, 1000.0, grace=50)  # an open page keeps its kernel, however long
    closed = connected(opened, -1, 200.0)
    assert closed.alone_since == 200.0 and closed.ever_connected
    assert not abandoned(closed, 1000.0, grace=50)  # left without goodbye: freed only when room is needed


def test_room_is_made_from_pages_left_alone_longest_and_for_one_person_from_any_page() -> None:
    from spotting_host.voila_ext import PageKernel, connected, reclaimable

    plain = PageKernel("plain", alone_since=10.0)
    crashed = connected(connected(PageKernel("crashed", alone_since=0.0), 1, 1.0), -1, 40.0)
    reading = connected(PageKernel("reading", alone_since=5.0, last_activity=7.0), 1, 6.0)
    recent = PageKernel("recent", alone_since=95.0)
    pages = [reading, recent, crashed, plain]
    assert reclaimable(pages, now=100.0, grace=50, one_person=False) == ["plain", "crashed"]
    assert reclaimable(pages, now=100.0, grace=50, one_person=True) == ["plain", "crashed", "recent", "reading"]


def test_the_log_names_routes_never_addresses() -> None:
    from spotting_host.voila_ext import route_name, unsafe_path

    assert route_name(r"/api/kernels/(?P<kernel_id>\w+-\w+-\w+-\w+-\w+)/channels") == "/api/kernels/*/channels"
    assert route_name("/voila/api/shutdown/(.*)") == "/voila/api/shutdown/*"
    assert unsafe_path("/voila/files/x%00.png") and unsafe_path("/%0a") and not unsafe_path("/voila/static/a%20b.js")


def test_error_pages_are_plain_and_kind() -> None:
    from spotting_host.voila_ext import error_page

    for status in (400, 403, 404, 405, 500):
        page = error_page(status, "/")
        assert "<script" not in page and "http" not in page.replace('<html lang="en">', "")
        assert 'href="/"' in page and "Traceback" not in page


def test_the_static_site_gets_the_headers_of_the_deployed_nginx_file() -> None:
    """``spotting serve --static`` and deploy/nginx-static.conf send the same security headers."""
    conf = (Path(__file__).resolve().parents[2] / "deploy" / "nginx-static.conf").read_text(encoding="utf-8")
    deployed = dict(re.findall(r'add_header ([A-Za-z-]+) "([^"]*)" always;', conf))
    assert {name: deployed.get(name) for name in serve.STATIC_SITE_HEADERS} == serve.STATIC_SITE_HEADERS


def test_voila_headers_allow_this_host_only() -> None:
    headers = serve.voila_headers("127.0.0.1:8866")
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert "connect-src 'self' ws://127.0.0.1:8866 wss://127.0.0.1:8866" in policy
    assert "'unsafe-eval'" not in policy
    assert headers["Referrer-Policy"] == "no-referrer" and headers["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in headers["Permissions-Policy"] and "microphone=()" in headers["Permissions-Policy"]
    for forged in ("evil; script-src *", "a b", "x\r\ny", ""):  # a Host that is not a host and port
        assert "connect-src 'self';" in serve.voila_policy(forged)


def test_the_join_page_allows_nothing_but_its_own_styles_and_code() -> None:
    from spotting_host.join import join_page_html

    page = join_page_html(["http://192.168.1.23:8866/"])
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    assert policy is not None and "default-src 'none'" in policy.group(1)
    assert '<meta name="referrer" content="no-referrer">' in page


@pytest.mark.parametrize(
    ("argv", "missing"),
    [([], "voila"), (["teaching", "--network"], "voila, segno"), (["--static", "--network"], "segno")],
)
def test_without_the_serve_extra_the_door_names_what_is_missing_and_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], missing: str
) -> None:
    """``pip install spotting`` has no Voila or segno: ``spotting serve`` says so in one line, exit 1."""
    import importlib.util

    absent = {"voila", "segno"}
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *rest: None if name in absent else real(name, *rest))
    started = []
    monkeypatch.setattr(serve, "run", lambda *args: started.append(args) or 0)
    out, err = io.StringIO(), io.StringIO()
    assert main(["serve", *argv], stdout=out, stderr=err) == 1
    assert err.getvalue() == (
        f"spotting: serving needs the [serve] extra ({missing} is missing): "
        "pip install 'spotting[serve]' (in a checkout: make dashboard)\n"
    )
    assert not started and out.getvalue() == ""


def test_with_the_serve_extra_the_door_starts_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[tuple[object, ...]] = []
    monkeypatch.setattr(serve, "run", lambda *args: started.append(args) or 0)
    argv = ["serve", "teaching", "--learners", "3", "--Voila.x=1"]
    assert main(argv, stdout=io.StringIO(), stderr=io.StringIO()) == 0
    [(args, extra, _, _)] = started
    assert (args.dashboard, args.learners, list(extra)) == ("teaching", 3, ["--Voila.x=1"])

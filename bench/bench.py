#!/usr/bin/env python3
"""JsOrc distribution benchmarks against stock Apache Karaf 4.4.10, in one invocation.

    python3 bench/bench.py [--runs 5] [--drops 20] [--with-redis] [--with-kube]   (after `mvn -B install -DskipTests`)

boot:   bin/start -> first answer over SSH that shows the platform is up
        ours:  `jsorc:service-list` lists meta
        stock: apache-karaf 4.4.10 (Maven Central) with scr, http, webconsole added to featuresBoot;
               `feature:list -i` lists webconsole
        alternating runs, each on a fresh copy (empty data/); median ratio ours/stock.
rss:    resident memory of the Karaf JVM 15 s after the boot answer (same runs); median ratio.
deploy: a jar copied into deploy/ -> service RUNNING, read from karaf.log timestamps (millisecond
        resolution, same clock as the copy); ours: the Stripe example -> "Service stripe is RUNNING";
        stock: a trivial DS bundle built here -> its activate log line. p50/p95 of each.

--with-redis: a third kind in the same alternating runs: ours booting feature jsorc-redis too (in featuresBoot) with
        the shared glob store enabled (etc/jsorc.globs.shared.cfg) on a redis-server this script starts on a free
        loopback port (every fresh copy joins the same store); also reported: bin/start -> `jsorc:status` says the
        node is in sync with the store.

--with-kube: a kind more: ours booted as usual, then META_CONFIG set (automation on, a kubeconfig for the fabric8
        mock API server this script starts in a JVM of its own) and `feature:install jsorc-kube`: reported are the
        seconds from the install to kube RUNNING with the manifests line naming the API server, and to the loop's
        next tick after that, and the RSS 15 s after.

Every Karaf started here binds 127.0.0.1 ports moved off the defaults and is stopped at the end.
"""
import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
KARAF_VERSION = "4.4.10"
PORTS = {"ours": (18201, 18281, 18299, 44544), "stock": (18301, 18381, 18399, 44644),
         "redis": (18501, 18581, 18599, 44844), "kube": (18601, 18681, 18699, 44944)}


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=isinstance(cmd, str), check=True, text=True, capture_output=True, **kw)


def prepare_stock():
    archive = OUT / f"apache-karaf-{KARAF_VERSION}.tar.gz"
    if not archive.exists():
        sh(["mvn", "-B", "-q", "dependency:copy", f"-Dartifact=org.apache.karaf:apache-karaf:{KARAF_VERSION}:tar.gz",
            f"-DoutputDirectory={OUT}"], cwd=ROOT)
    template = OUT / "stock-template"
    if not template.exists():
        with tarfile.open(archive) as tar:
            tar.extractall(OUT / "stock-unpack")
        (OUT / "stock-unpack" / f"apache-karaf-{KARAF_VERSION}").rename(template)
        shutil.rmtree(OUT / "stock-unpack")
        cfg = template / "etc" / "org.apache.karaf.features.cfg"
        text = cfg.read_text()
        text = re.sub(r"(featuresBoot\s*=\s*\\?\s*\n?\s*\(?)", r"\1scr, http, webconsole, ", text, count=1)
        cfg.write_text(text)
    return template


def prepare_ours(redis_port=None):
    assembly = ROOT / "karaf-assembly" / "target" / "assembly"
    if not assembly.exists():
        sys.exit("build first: mvn -B install -DskipTests")
    template = OUT / ("redis-template" if redis_port else "ours-template")
    if template.exists():
        shutil.rmtree(template)
    shutil.copytree(assembly, template, symlinks=True)
    if redis_port:
        cfg = template / "etc" / "org.apache.karaf.features.cfg"
        cfg.write_text(re.sub(r"(?m)^(featuresBoot\s*=\s*\S+)", r"\1, jsorc-redis", cfg.read_text(), count=1))
        (template / "etc" / "jsorc.globs.shared.cfg").write_text(
            f"enabled = true\nhost = 127.0.0.1\nport = {redis_port}\n")
    return template


def start_redis():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(["/usr/bin/redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as c:
                c.sendall(b"PING\r\n")
                if c.recv(16).startswith(b"+PONG"):
                    return process, port
        except OSError:
            time.sleep(0.05)
    process.kill()
    sys.exit("redis-server did not answer")


def ssh_key():
    key = OUT / "bench_key"
    if not key.exists():
        sh(["ssh-keygen", "-q", "-t", "rsa", "-b", "2048", "-m", "PEM", "-N", "", "-f", str(key)])
    return key


def configure(home, kind):
    ssh_port, http_port, rmi_reg, rmi_srv = PORTS[kind]
    etc = home / "etc"
    set_prop(etc / "org.apache.karaf.shell.cfg", "sshPort", str(ssh_port))
    set_prop(etc / "org.apache.karaf.shell.cfg", "sshHost", "127.0.0.1")
    set_prop(etc / "org.ops4j.pax.web.cfg", "org.osgi.service.http.port", str(http_port))
    set_prop(etc / "org.apache.karaf.management.cfg", "rmiRegistryPort", str(rmi_reg))
    set_prop(etc / "org.apache.karaf.management.cfg", "rmiServerPort", str(rmi_srv))
    set_prop(etc / "org.apache.karaf.management.cfg", "rmiRegistryHost", "127.0.0.1")
    set_prop(etc / "org.apache.karaf.management.cfg", "rmiServerHost", "127.0.0.1")
    public = (OUT / "bench_key.pub").read_text().split()[1]
    with open(etc / "keys.properties", "a") as keys:
        keys.write(f"\nbench={public},_g_:admingroup\n")


def set_prop(path, key, value):
    lines = path.read_text().splitlines() if path.exists() else []
    kept = [line for line in lines if not re.match(rf"\s*{re.escape(key)}\s*=", line)]
    kept.append(f"{key} = {value}")
    path.write_text("\n".join(kept) + "\n")


def ssh(kind, command, timeout=10):
    port = PORTS[kind][0]
    return subprocess.run(["ssh", "-q", "-p", str(port), "-i", str(OUT / "bench_key"), "-o", "BatchMode=yes",
                           "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                           "-o", "ConnectTimeout=2", "bench@127.0.0.1", command],
                          text=True, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)


def karaf_pid(home):
    result = subprocess.run(["pgrep", "-f", f"karaf.home={home}"], text=True, capture_output=True)
    pids = [int(p) for p in result.stdout.split()]
    return pids[0] if pids else None


def start(home):
    subprocess.run(["setsid", str(home / "bin" / "start")], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=True)


def stop(home):
    pid = karaf_pid(home)
    subprocess.run([str(home / "bin" / "stop")], stdin=subprocess.DEVNULL, capture_output=True)
    deadline = time.monotonic() + 60
    while pid and time.monotonic() < deadline and karaf_pid(home):
        time.sleep(0.2)
    if karaf_pid(home):
        os.kill(karaf_pid(home), signal.SIGKILL)


def wait_for(kind, command, needle, limit=120):
    begin = time.monotonic()
    while time.monotonic() - begin < limit:
        try:
            if needle in ssh(kind, command).stdout:
                return time.monotonic()
        except subprocess.TimeoutExpired:
            pass
        time.sleep(0.05)
    raise SystemExit(f"{kind}: `{command}` never showed {needle!r} within {limit} s")


PROBES = {"ours": ("jsorc:service-list", "meta"), "stock": ("feature:list -i", "webconsole"),
          "redis": ("jsorc:service-list", "meta"), "kube": ("jsorc:service-list", "meta")}


SYNCED = []  # --with-redis: seconds from bin/start to the node in sync with the shared store, per run
KUBE_UP = []  # --with-kube: seconds from feature:install jsorc-kube to kube RUNNING, per run
KUBE_TICK = []  # --with-kube: ... to the loop's next tick after that, per run
KUBECONFIG = OUT / "bench-kubeconfig"


def start_mock_api():
    """The fabric8 mock API server in a JVM of its own (bundles/kube test classes); writes KUBECONFIG."""
    classpath = ROOT / "bundles" / "kube" / "target" / "kube-bench.classpath"
    sh(["mvn", "-o", "-q", "-B", "-pl", "bundles/kube", "test-compile", "dependency:build-classpath",
        "-Dmdep.includeScope=test", f"-Dmdep.outputFile={classpath}"], cwd=ROOT)
    cp = ":".join([str(ROOT / "bundles/kube/target/test-classes"), str(ROOT / "bundles/kube/target/classes"),
                   classpath.read_text().strip()])
    process = subprocess.Popen(["java", "-cp", cp, "-Djava.util.logging.config.file=/dev/null",
                                "io.jsorc.kube.internal.MockApiMain", str(KUBECONFIG)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline()
    if not line.startswith("ready"):
        process.kill()
        sys.exit("the mock API server did not start")
    return process


def ticks(kind):
    match = re.search(r"ticks: (\d+)", ssh(kind, "jsorc:status").stdout)
    return int(match.group(1)) if match else -1


def turn_on_kube(kind):
    ssh(kind, "jsorc:config-set META_CONFIG '{\"automation\":true,\"backoff_interval\":1,\"kubernetes\":"
              "{\"in_cluster\":false,\"config\":\"" + str(KUBECONFIG) + "\"}}'")
    ssh(kind, "jsorc:service-refresh meta")
    begin = time.monotonic()
    ssh(kind, "feature:install jsorc-kube", timeout=120)
    up = wait_for(kind, "jsorc:status", "manifests:  Kubernetes at")
    seen = ticks(kind)
    while ticks(kind) <= seen and time.monotonic() - up < 30:
        time.sleep(0.05)
    KUBE_UP.append(up - begin)
    KUBE_TICK.append(time.monotonic() - begin)


def boot_once(template, kind):
    home = OUT / f"{kind}-run"
    if home.exists():
        shutil.rmtree(home)
    shutil.copytree(template, home, symlinks=True)
    configure(home, kind)
    begin = time.monotonic()
    start(home)
    ready = wait_for(kind, *PROBES[kind])
    if kind == "redis":
        SYNCED.append(wait_for(kind, "jsorc:status", "in sync") - begin)
    if kind == "kube":
        turn_on_kube(kind)
    time.sleep(15)  # idle settle before reading RSS: a deliberate measurement window, not a wait for state
    rss_kb = int(open(f"/proc/{karaf_pid(home)}/status").read().split("VmRSS:")[1].split()[0])
    return home, ready - begin, rss_kb


def trivial_ds_bundle():
    """A bundle with one DS component whose activate logs a line: stock Karaf's deploy subject."""
    jar = OUT / "trivial-ds.jar"
    if jar.exists():
        return jar
    src = OUT / "trivial"
    (src / "bench" / "trivial").mkdir(parents=True, exist_ok=True)
    (src / "OSGI-INF").mkdir(exist_ok=True)
    (src / "bench" / "trivial" / "Trivial.java").write_text(
        "package bench.trivial;\npublic class Trivial {\n"
        "  public void activate() { org.slf4j.LoggerFactory.getLogger(Trivial.class).info(\"trivial is RUNNING\"); }\n}\n")
    slf4j = next(Path.home().glob(".m2/repository/org/slf4j/slf4j-api/1.7.36/slf4j-api-1.7.36.jar"))
    sh(["javac", "--release", "17", "-cp", str(slf4j), "-d", str(src), str(src / "bench" / "trivial" / "Trivial.java")])
    (src / "OSGI-INF" / "trivial.xml").write_text(
        '<?xml version="1.0"?><scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="trivial" '
        'immediate="true" activate="activate"><implementation class="bench.trivial.Trivial"/></scr:component>\n')
    (src / "MANIFEST.MF").write_text(
        "Manifest-Version: 1.0\nBundle-ManifestVersion: 2\nBundle-SymbolicName: bench.trivial\n"
        "Bundle-Version: 1.0.0\nImport-Package: org.slf4j;version=\"[1.7,3)\"\n"
        "Service-Component: OSGI-INF/trivial.xml\n"
        "Require-Capability: osgi.extender;filter:=\"(&(osgi.extender=osgi.component)(version>=1.3.0))\"\n")
    sh(["jar", "cfm", str(jar), str(src / "MANIFEST.MF"), "-C", str(src), "bench", "-C", str(src), "OSGI-INF"])
    return jar


LOG_TIME = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d,\d{3})")


def log_times(home, marker):
    times = []
    for line in (home / "data" / "log" / "karaf.log").read_text(errors="replace").splitlines():
        if marker in line and LOG_TIME.match(line):
            stamp = datetime.strptime(LOG_TIME.match(line).group(1), "%Y-%m-%dT%H:%M:%S,%f")
            times.append(stamp.timestamp())
    return times


def deploy_runs(home, kind, jar, marker, gone_command, gone_needle, drops):
    latencies = []
    target = home / "deploy" / jar.name
    for _ in range(drops):
        before = len(log_times(home, marker))
        copied = time.time()
        shutil.copy(jar, target)
        deadline = time.monotonic() + 30
        while len(log_times(home, marker)) == before:
            if time.monotonic() > deadline:
                raise SystemExit(f"{kind}: {jar.name} never reached '{marker}'")
            time.sleep(0.05)
        latencies.append(log_times(home, marker)[before] - copied)
        target.unlink()
        deadline = time.monotonic() + 30
        while gone_needle in ssh(kind, gone_command).stdout:
            if time.monotonic() > deadline:
                raise SystemExit(f"{kind}: {jar.name} never went away")
            time.sleep(0.1)
    return latencies


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--drops", type=int, default=20)
    parser.add_argument("--with-redis", action="store_true")
    parser.add_argument("--with-kube", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    ssh_key()
    redis, redis_port = start_redis() if args.with_redis else (None, None)
    templates = {"stock": prepare_stock(), "ours": prepare_ours()}
    kinds = ["stock", "ours"]
    if redis:
        templates["redis"] = prepare_ours(redis_port)
        kinds.append("redis")
    mock = start_mock_api() if args.with_kube else None
    if mock:
        templates["kube"] = templates["ours"]
        kinds.append("kube")
    boot = {kind: [] for kind in kinds}
    rss = {kind: [] for kind in kinds}
    homes = {}
    try:
        for run in range(args.runs):
            for kind in kinds if run % 2 == 0 else list(reversed(kinds)):
                home, seconds, kb = boot_once(templates[kind], kind)
                homes[kind] = home
                boot[kind].append(seconds)
                rss[kind].append(kb)
                print(f"run {run + 1} {kind:5}: boot {seconds:6.2f} s  rss {kb / 1024:7.1f} MiB", flush=True)
                if run < args.runs - 1 or kind in ("redis", "kube"):
                    stop(home)
        # the newest build: target/ may still hold the jar of an earlier version
        stripe = max((ROOT / "examples" / "stripe-service" / "target").glob("jsorc-example-stripe-*.jar"),
                     key=lambda p: p.stat().st_mtime)
        ssh("ours", "jsorc:config-set --no-check STRIPE_CONFIG '{\"enabled\":true,\"key\":\"sk_test_bench\"}'")
        deploy = {
            "ours": deploy_runs(homes["ours"], "ours", stripe, "Service stripe is RUNNING",
                                "jsorc:service-list", "stripe", args.drops),
            "stock": deploy_runs(homes["stock"], "stock", trivial_ds_bundle(), "trivial is RUNNING",
                                 "bundle:list -s", "bench.trivial", args.drops),
        }
    finally:
        for home in homes.values():
            stop(home)
        if redis:
            redis.kill()
        if mock:
            mock.stdin.close()
            mock.wait(10)
    print()
    print("| measure | ours | stock | ratio ours/stock |")
    print("|---|---|---|---|")
    b_ours, b_stock = statistics.median(boot["ours"]), statistics.median(boot["stock"])
    print(f"| boot to first answer, median of {args.runs} | {b_ours:.2f} s | {b_stock:.2f} s | {b_ours / b_stock:.3f} |")
    if redis:
        b_redis = statistics.median(boot["redis"])
        print(f"| with jsorc-redis and the shared store: boot to first answer, median | {b_redis:.2f} s "
              f"| {b_stock:.2f} s | {b_redis / b_stock:.3f} |")
        synced = statistics.median(SYNCED)
        print(f"| with jsorc-redis and the shared store: boot to in sync, median | {synced:.2f} s "
              f"| {b_stock:.2f} s (first answer) | {synced / b_stock:.3f} |")
    r_ours, r_stock = statistics.median(rss["ours"]), statistics.median(rss["stock"])
    print(f"| idle RSS 15 s after boot, median | {r_ours / 1024:.0f} MiB | {r_stock / 1024:.0f} MiB "
          f"| {r_ours / r_stock:.3f} |")
    if redis:
        r_redis = statistics.median(rss["redis"])
        print(f"| with jsorc-redis and the shared store: idle RSS, median | {r_redis / 1024:.0f} MiB "
              f"| {r_stock / 1024:.0f} MiB | {r_redis / r_stock:.3f} |")
    if mock:
        print(f"| with jsorc-kube: feature:install -> kube RUNNING, median | {statistics.median(KUBE_UP):.2f} s | | |")
        print(f"| with jsorc-kube: feature:install -> first tick after, median | {statistics.median(KUBE_TICK):.2f} s"
              " | | |")
        r_kube = statistics.median(rss["kube"])
        print(f"| with jsorc-kube on: idle RSS 15 s after, median | {r_kube / 1024:.0f} MiB "
              f"| {r_stock / 1024:.0f} MiB | {r_kube / r_stock:.3f} |")
    for p in (50, 95):
        o, s = pct(deploy["ours"], p), pct(deploy["stock"], p)
        print(f"| hot deploy p{p}, {args.drops} drops | {o:.3f} s | {s:.3f} s | {o / s:.3f} |")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Throughput of the HTTP admin API (POST /js_admin/<fn>) of the built distribution, in one invocation.

    python3 bench/http_bench.py [--tarball karaf-assembly/target/jsorc-assembly-*.tar.gz] [--no-fail]
                                                                (after `mvn -B install -DskipTests`)

config_get: wrk (-t2 -c16, 15 s after a 3 s warm-up) POSTs {"name":"META_CONFIG"} with HTTP Basic admin:<the
            password of etc/admin.password>; Requests/sec and p50/p99 from --latency. Target >= 5000 req/s.
config_set: wrk (-t2 -c4) POSTs {"name":"META_CONFIG","value":<what config_get answered, "automation": false>};
            every call writes etc/jsorc.glob.META_CONFIG.cfg durably. Then, with Karaf stopped, the same work
            in Python: a file of that size written to a hidden temp file in a directory of the same file system,
            fsync, rename onto the target, directory fsync, for 2 s. Target: config_set / raw >= 0.5.
Any non-2xx answer fails the run. The tarball is copied to a temp dir and unpacked there; Karaf binds 127.0.0.1
on ports off the defaults and is stopped at the end. wrk's raw outputs go to bench/out/ (gitignored).
"""
import argparse
import base64
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
SSH_PORT, HTTP_PORT, RMI_REGISTRY, RMI_SERVER = 18401, 18481, 18499, 44744
GLOB = "META_CONFIG"
GLOB_FILE = f"jsorc.glob.{GLOB}.cfg"  # ConfigAdminTier: ${karaf.etc}/<PID>.cfg, PID jsorc.glob.<name>


def sh(cmd, **kw):
    return subprocess.run(cmd, shell=isinstance(cmd, str), check=True, text=True, capture_output=True, **kw)


def set_prop(path, key, value):
    lines = path.read_text().splitlines() if path.exists() else []
    kept = [line for line in lines if not re.match(rf"\s*{re.escape(key)}\s*=", line)]
    kept.append(f"{key} = {value}")
    path.write_text("\n".join(kept) + "\n")


def unpack(tarball, tmp):
    copy = tmp / Path(tarball).name
    shutil.copy(tarball, copy)  # target/ may be rebuilt while this runs
    with tarfile.open(copy) as tar:
        top = tar.getnames()[0].split("/")[0]
        tar.extractall(tmp)
    copy.unlink()
    home = tmp / top
    etc = home / "etc"
    set_prop(etc / "org.apache.karaf.shell.cfg", "sshPort", str(SSH_PORT))
    set_prop(etc / "org.apache.karaf.shell.cfg", "sshHost", "127.0.0.1")
    set_prop(etc / "org.ops4j.pax.web.cfg", "org.osgi.service.http.port", str(HTTP_PORT))
    set_prop(etc / "org.ops4j.pax.web.cfg", "org.ops4j.pax.web.listening.addresses", "127.0.0.1")
    set_prop(etc / "org.apache.karaf.management.cfg", "rmiRegistryPort", str(RMI_REGISTRY))
    set_prop(etc / "org.apache.karaf.management.cfg", "rmiServerPort", str(RMI_SERVER))
    set_prop(etc / "org.apache.karaf.management.cfg", "rmiRegistryHost", "127.0.0.1")
    set_prop(etc / "org.apache.karaf.management.cfg", "rmiServerHost", "127.0.0.1")
    return home


def karaf_pid(home):
    result = subprocess.run(["pgrep", "-f", f"karaf.home={home}"], text=True, capture_output=True)
    pids = [int(p) for p in result.stdout.split()]
    return pids[0] if pids else None


def stop(home):
    if not karaf_pid(home):
        return
    subprocess.run([str(home / "bin" / "stop")], stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
    deadline = time.monotonic() + 60
    while karaf_pid(home) and time.monotonic() < deadline:
        time.sleep(0.2)
    if karaf_pid(home):
        print(f"Karaf of {home} still running 60 s after bin/stop: killing it", file=sys.stderr)
        os.kill(karaf_pid(home), signal.SIGKILL)


def post(fn, body, auth, timeout=10):
    request = urllib.request.Request(f"http://127.0.0.1:{HTTP_PORT}/js_admin/{fn}", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json", "Authorization": auth})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, response.read()


def wait_for_api(home, limit=120):
    begin = time.monotonic()
    last = "no answer"
    while time.monotonic() - begin < limit:
        password = home / "etc" / "admin.password"
        if password.exists() and password.read_text().strip():
            auth = "Basic " + base64.b64encode(f"admin:{password.read_text().strip()}".encode()).decode()
            try:
                status, body = post("config_get", {"name": GLOB}, auth, timeout=5)
                if status == 200:
                    return auth, body
            except urllib.error.HTTPError as e:
                last = f"HTTP {e.code}"
            except (urllib.error.URLError, OSError) as e:
                last = str(e)
        time.sleep(0.25)
    raise SystemExit(f"config_get {GLOB} never answered 200 on port {HTTP_PORT} within {limit} s (last: {last})")


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def wrk(name, fn, body, auth, threads, conns, seconds, tmp):
    lua = tmp / f"{fn}.lua"
    text = json.dumps(body)
    assert "]==]" not in text
    lua.write_text(f'wrk.method = "POST"\nwrk.body = [==[{text}]==]\n'
                   f'wrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "{auth}"\n')
    url = f"http://127.0.0.1:{HTTP_PORT}/js_admin/{fn}"
    out = ""
    for label, duration in (("warmup", 3), ("run", seconds)):
        cmd = ["wrk", f"-t{threads}", f"-c{conns}", f"-d{duration}s", "--latency", "-s", str(lua), url]
        out = sh(cmd, timeout=duration + 60).stdout
        (OUT / f"wrk-{name}-{label}.txt").write_text(" ".join(cmd) + "\n\n" + out)
        bad = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", out)
        if bad:
            raise SystemExit(f"{name} ({label}): {bad.group(1)} non-2xx answers; see bench/out/wrk-{name}-{label}.txt\n"
                             + out)
    errors = re.search(r"Socket errors:.*", out)
    if errors:
        print(f"{name}: wrk reported {errors.group(0)}", file=sys.stderr)
    latency = {p: float(v) * UNITS[u] for p, v, u in re.findall(r"^\s*(50|99)%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M)}
    rate = float(re.search(r"Requests/sec:\s*([\d.]+)", out).group(1))
    print(f"{name}: {rate:.0f} req/s, p50 {latency['50']:.2f} ms, p99 {latency['99']:.2f} ms", flush=True)
    return rate, latency


def raw_durable_writes(directory, size, seconds=2.0):
    """The store's write, in Python: hidden temp file (owner only), write, fsync, rename, directory fsync."""
    directory.mkdir(parents=True, exist_ok=True)
    target, tmp = directory / GLOB_FILE, directory / f".{GLOB_FILE}.tmp"
    data = (b"x" * (size - 1) + b"\n") if size else b""
    count, begin = 0, time.monotonic()
    while time.monotonic() - begin < seconds:
        fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
        dfd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
        count += 1
    return count / (time.monotonic() - begin)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tarball", default=str(ROOT / "karaf-assembly" / "target"
                                                 / "jsorc-assembly-1.1.0-SNAPSHOT.tar.gz"))
    parser.add_argument("--seconds", type=int, default=15, help="length of each measured wrk run")
    parser.add_argument("--no-fail", action="store_true", help="report only: exit 0 even if a target is missed")
    args = parser.parse_args()
    if not Path(args.tarball).is_file():
        sys.exit(f"no tarball at {args.tarball}: build first (mvn -B install -DskipTests)")
    if shutil.which("wrk") is None:
        print("wrk is not installed: running apt-get install -y wrk", flush=True)
        sh(["apt-get", "install", "-y", "wrk"], timeout=600)
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="httpbench-"))
    home = None
    try:
        home = unpack(args.tarball, tmp)
        subprocess.run(["setsid", str(home / "bin" / "start")], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=True, timeout=120)
        auth, answer = wait_for_api(home)
        value = json.loads(answer)
        value = json.loads(value) if isinstance(value, str) else value  # config_get answers the stored JSON text
        if not isinstance(value, dict):
            raise SystemExit(f"config_get {GLOB} answered {answer[:200]!r}, not a JSON object")
        value["automation"] = False
        get_rate, get_lat = wrk("config_get", "config_get", {"name": GLOB}, auth, 2, 16, args.seconds, tmp)
        set_rate, set_lat = wrk("config_set", "config_set", {"name": GLOB, "value": value}, auth, 2, 4,
                                args.seconds, tmp)
        stored = home / "etc" / GLOB_FILE
        if not stored.is_file():
            globs = sorted(p.name for p in stored.parent.glob("*glob*"))
            raise SystemExit(f"config_set left no {stored}; etc/ holds {globs}")
        size = stored.stat().st_size
        stop(home)  # the raw rate on a quiet machine, as config_set had it to itself
        raw_rate = raw_durable_writes(tmp / "scratch-etc", size)
        print(f"raw durable write: {raw_rate:.0f}/s ({size} bytes)", flush=True)
    finally:
        if home is not None:
            stop(home)
        shutil.rmtree(tmp, ignore_errors=True)
    ratio = set_rate / raw_rate
    get_ok, set_ok = get_rate >= 5000, ratio >= 0.5
    print()
    print(f"config_get: {get_rate:.0f} req/s, p50 {get_lat['50']:.2f} ms, p99 {get_lat['99']:.2f} ms "
          f"(target >= 5000 req/s){'' if get_ok else '  MISSED'}")
    print(f"config_set: {set_rate:.0f} req/s, p50 {set_lat['50']:.2f} ms, p99 {set_lat['99']:.2f} ms; raw durable "
          f"write (write+fsync+rename+dir fsync, {size} bytes): {raw_rate:.0f}/s; ratio {ratio:.2f} "
          f"(target >= 0.5){'' if set_ok else '  MISSED'}")
    if not (get_ok and set_ok) and not args.no_fail:
        sys.exit(1)


if __name__ == "__main__":
    main()

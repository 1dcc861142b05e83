#!/usr/bin/env python3
"""Fuzzes the hub's HTTP endpoints (sync API, uploads, answers, dashboard) with mutated raw requests.

Usage: python3 Tests/Fuzz/http-fuzz.py [SECONDS] [--parta PATH] [--seed N] [--workers N]
                                       [--check-every N] [--keep]

Sets up, with the real `parta` binary, a hub with two schools, one task assigned to both and one
enrolled school computer; starts `parta hub serve --listen 127.0.0.1:0`; then for SECONDS (default
60) sends mutated HTTP/1.1 requests over raw sockets to 127.0.0.1 only: every endpoint's method and
path, mutated, duplicated, huge and invalid headers (Content-Length, Transfer-Encoding: chunked with
lying sizes, Upload-Offset/-Length, Parta-Signature, Range, Cookie, Accept-Language), bodies mutated
from genuine bundles of this run (bit flips, truncation, splicing, framing lengths rewritten),
pipelined requests and connections cut mid-request.

A request is a *recipe* (JSON: method, path, headers, body = seed + operations, cut, pipelined
followers) rendered against this run's hub, so that the saved corpus (Tests/Fuzz/http-corpus/)
stays meaningful across runs: placeholders such as {ID} (the seed bundle's upload id), {SIG} (its
signature), {LEN} (the body's real length) are filled in for each run's fresh keys.

Every --check-every requests it checks that GET /healthz answers 200 within 5 s and that the hub
process lives. At the end an honest `parta sync` must succeed and `parta hub report` exit 0.

Findings (written to Tests/Fuzz/http-findings/, each with the exact request bytes and its recipe):
any 5xx other than a 503 with a documented Parta-Reason (busy, stagingFull, tooSlow) and
Retry-After; a dead hub; a /healthz that does not answer 200 in time (the last requests sent are
saved); a failing final sync or report. Requests whose (endpoint, status) was never seen in the
run, the corpus included, are added to the corpus (at most MAX_CORPUS files).

Exit status: 0 without findings, 1 with findings, 2 if the setup failed.
"""
import base64
import hashlib
import json
import os
import random
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
CORPUS = os.path.join(HERE, "http-corpus")
FINDINGS = os.path.join(HERE, "http-findings")
FORGE = os.path.join(ROOT, "Tests", "Hostile", "partaforge.py")
MAX_CORPUS = 40
DOCUMENTED_503 = {"busy", "stagingFull", "tooSlow"}
READ_QUIET = 0.6      # seconds without a byte after which a connection's answer is taken as it is
READ_LIMIT = 4.0      # at most this long per connection
HEALTH_TIMEOUT = 5.0


def log(text):
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


# ---------------------------------------------------------------------------------------------
# Setup with the real binary

class Setup:
    def __init__(self, parta, work):
        self.parta = parta
        self.work = work
        self.hub = os.path.join(work, "hub")
        self.school = os.path.join(work, "school")
        self.stick = os.path.join(work, "stick")
        self.env = dict(os.environ, LANG="en_US.UTF-8")
        self.env.pop("PARTA_NOW", None)
        self.server = None
        self.port = None
        self.url = None
        self.restarts = 0

    def run(self, args, check=True, timeout=120):
        r = subprocess.run([self.parta] + args, capture_output=True, text=True, env=self.env, timeout=timeout)
        if check and r.returncode != 0:
            raise RuntimeError("parta %s: exit %d\n%s%s" % (" ".join(args), r.returncode, r.stdout, r.stderr))
        return r

    def build(self):
        h = ["--data", self.hub]
        self.run(["hub", "init", "--name", "Fuzz hub"] + h)
        out = self.run(["hub", "school", "add", "s1", "--name", "S1", "--json"] + h).stdout
        code = json.loads(out)["code"]
        self.run(["hub", "school", "add", "s2", "--name", "S2"] + h)
        self.run(["hub", "task", "add", "--title", "T", "--assign-all"] + h)
        self.run(["hub", "export", "--to", self.stick] + h)
        self.run(["init", "--from", self.stick, "--code", code, "--data", self.school])
        self.start()
        self.run(["sync", self.url, "--data", self.school])

    def start(self):
        self.hub_log = open(os.path.join(self.work, "hub-%d.log" % self.restarts), "wb")
        self.server = subprocess.Popen([self.parta, "hub", "serve", "--listen", "127.0.0.1:0", "--data", self.hub],
                                       stdout=subprocess.PIPE, stderr=self.hub_log, env=self.env)
        deadline = time.time() + 30
        seen = b""
        while time.time() < deadline and self.server.poll() is None:
            ready, _, _ = select.select([self.server.stdout], [], [], 0.5)
            if ready:
                chunk = os.read(self.server.stdout.fileno(), 4096)
                if not chunk:
                    break
                seen += chunk
                m = re.search(rb"127\.0\.0\.1:(\d+)/", seen)
                if m:
                    self.port = int(m.group(1))
                    self.url = "http://127.0.0.1:%d/" % self.port
                    # Keep draining its standard output so that it never blocks on a full pipe.
                    threading.Thread(target=self._drain, args=(self.server.stdout,), daemon=True).start()
                    return
        raise RuntimeError("parta hub serve did not start: %r" % seen)

    @staticmethod
    def _drain(pipe):
        while pipe.read(4096):
            pass

    def stop(self):
        if self.server and self.server.poll() is None:
            self.server.send_signal(signal.SIGTERM)
            try:
                self.server.wait(10)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()

    def rss_kb(self):
        try:
            with open("/proc/%d/status" % self.server.pid) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except OSError:
            return 0
        return 0


def find_bundles(folder):
    found = []
    for base, _, names in os.walk(folder):
        for n in sorted(names):
            if n.endswith(".parta"):
                found.append(os.path.join(base, n))
    return found


def make_seeds(setup):
    """Genuine bodies of this run, by name."""
    seeds = {"empty": b""}
    out = os.path.join(setup.work, "school-out")
    setup.run(["export", "--to", out, "--data", setup.school])
    for p in find_bundles(out)[:1]:
        seeds["school"] = open(p, "rb").read()
    for p in find_bundles(setup.stick):
        if os.sep + "s1" + os.sep in p:
            seeds["hubout"] = open(p, "rb").read()  # the hub's bundle for s1: addressed to the school
            break
    vector = os.path.join(ROOT, "Protocol", "vectors", "v2", "002-one-change.bin")
    if os.path.exists(vector):
        seeds["vector"] = open(vector, "rb").read()
    # partaforge: a report for the school's task, written independently of the reference code.
    try:
        tasks = json.loads(setup.run(["tasks", "--json", "--data", setup.school]).stdout)
        task = tasks[0]["id"]
        desc = {"from": setup.school, "changes": [
            {"table": "reports", "row": "%s|s1" % task, "partition": "s1", "field": "progress", "value": 45},
            {"table": "reports", "row": "%s|s1" % task, "partition": "s1", "field": "comment", "value": "fuzz"}]}
        dpath = os.path.join(setup.work, "forge.json")
        with open(dpath, "w") as f:
            json.dump(desc, f)
        fpath = os.path.join(setup.work, "forged.parta")
        subprocess.run([sys.executable, FORGE, "make", dpath, "-o", fpath], check=True, capture_output=True, timeout=60)
        seeds["forged"] = open(fpath, "rb").read()
    except Exception as e:  # partaforge needs `cryptography`; the fuzzer runs without it
        log("http-fuzz: no partaforge seed (%s)" % str(e).splitlines()[0] if str(e) else e)
    if "school" not in seeds:
        raise RuntimeError("parta export wrote no bundle")
    return seeds


# ---------------------------------------------------------------------------------------------
# Recipes

ENDPOINTS = [
    ("POST", "/v1/sync"), ("GET", "/healthz"), ("GET", "/metrics"),
    ("HEAD", "/v1/uploads/{ID}"), ("PATCH", "/v1/uploads/{ID}"),
    ("GET", "/v1/answers/{ANSWER}"), ("DELETE", "/v1/answers/{ANSWER}"),
    ("GET", "/login"), ("POST", "/login"), ("GET", "/"), ("POST", "/logout"), ("GET", "/tasks/1"),
    ("GET", "/export/summary"), ("GET", "/schools/s1"), ("POST", "/own/1"),
]
METHODS = ["GET", "HEAD", "POST", "PATCH", "DELETE", "PUT", "OPTIONS", "TRACE", "CONNECT", "get", "PO ST", "", "X" * 300,
           "PATCH\x00", "\xff\xfe"]
INTERESTING_NUMBERS = ["0", "1", "-1", "+5", "05", " 7 ", "7,7", "0x10", "", "1e3", "9223372036854775807",
                       "9223372036854775808", "18446744073709551615", "18446744073709551616",
                       "99999999999999999999999999999999", "8388608", "8388609", "8000000", "67108864", "67108865",
                       "4294967296", "262", "30", "nan", "٣", "1\x00", "1\r\nX-Injected: 1"]
RANGES = ["bytes=0-", "bytes=0-0", "bytes=5-2", "bytes=-5", "bytes=0-99999999999999999999", "bytes=99999999999999999999-",
          "bytes=0-0,1-1", "items=0-1", "bytes=", "bytes=-", "bytes=1-1-1", "bytes=18446744073709551615-", "bytes=9223372036854775807-"]
LANGUAGES = ["en", "ru", "*", "en;q=abc", "ru-RU,en;q=0.5", "en" * 5000, "\xff\xfe", "de", "en-US,en;q=0.9,ru;q=0.8", ";;;,,,"]
COOKIES = ["parta_session=x", "parta_session=" + "A" * 8000, "a=b; " * 500, "=", ";", "parta_session=\x00", "{COOKIE}",
           "{COOKIE}; {COOKIE}"]


def hexid(rng):
    return "".join(rng.choice("0123456789abcdef") for _ in range(64))


def base_recipe(rng, seeds):
    method, path = rng.choice(ENDPOINTS)
    seed = rng.choice([s for s in seeds if s != "empty"]) if rng.random() < 0.9 else "empty"
    r = {"method": method, "path": path, "version": "HTTP/1.1", "seed": seed, "idseed": seed if seed != "empty" else "school", "ops": [],
         "headers": [["Host", "{HOST}"], ["Accept-Language", rng.choice(["en", "ru"])]]}
    if method == "POST" and path == "/v1/sync":
        r["headers"] += [["Content-Type", "application/vnd.parta.bundle"], ["Content-Length", "{LEN}"]]
        if rng.random() < 0.5:
            r["headers"].append(["Parta-Resumable", "1"])
    elif method == "PATCH":
        whole = rng.random() < 0.5
        if not whole:
            r["ops"].append(["slice", 0, rng.choice([262, 300, 512, 1024, 29, 100])])
        r["headers"] += [["Content-Type", "application/offset+octet-stream"], ["Upload-Offset", "0"],
                         ["Upload-Length", "{SEEDLEN}"], ["Content-Length", "{LEN}"], ["Parta-Signature", "{SIG}"],
                         ["Parta-Resumable", "1"]]
    elif method == "HEAD" and path.startswith("/v1/uploads"):
        r["headers"].append(["Parta-Resumable", "1"])
        r["seed"] = "empty"
    elif path.startswith("/v1/answers"):
        r["seed"] = "empty"
        if method == "DELETE":
            r["headers"].append(["Parta-Signature", "{SIG}"])
        if rng.random() < 0.5:
            r["headers"].append(["Range", rng.choice(RANGES)])
    elif path == "/login" and method == "POST":
        r["seed"] = "form"
        r["headers"] += [["Content-Type", "application/x-www-form-urlencoded"], ["Content-Length", "{LEN}"],
                         ["Cookie", "{COOKIE}"]]
    elif method == "POST":
        r["seed"] = "form"
        r["headers"] += [["Content-Length", "{LEN}"], ["Cookie", "{COOKIE}"]]
    else:
        r["seed"] = "empty"
        if rng.random() < 0.3:
            r["headers"].append(["Cookie", "{COOKIE}"])
    if rng.random() < 0.5:
        r["headers"].append(["Connection", "close"])
    return r


def mutate(r, rng, seeds, depth=0):
    r = json.loads(json.dumps(r))
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 5])):
        kind = rng.randrange(18)
        hs = r["headers"]
        if kind == 0:
            r["method"] = rng.choice(METHODS)
        elif kind == 1:
            p = r["path"]
            r["path"] = rng.choice([
                p + "?x=1", p + "/", "/" + p, p.replace("/", "//"), p + "%00", p + "/../healthz", p.upper(),
                "/v1/uploads/" + rng.choice(["{ID}", "{ID}".upper(), "0" * 63, "g" * 64, "{ANSWER}", "", "../../etc/passwd",
                                              "%2e%2e%2f", "{ID}{ID}", "{ID}?a"]),
                "/v1/answers/" + rng.choice(["{ANSWER}", "{ID}", "0" * 64, "z" * 64, "", "{ANSWER}/x"]),
                "/" + "a" * rng.choice([100, 5000, 70000]), "*", "http://127.0.0.1/v1/sync", "v1/sync", "/\x00", "/\xff",
                "/%ff%fe", "/login?next=" + "%" * 50, rng.choice(ENDPOINTS)[1]])
        elif kind == 2:
            r["version"] = rng.choice(["HTTP/1.0", "HTTP/1.1", "HTTP/2.0", "HTTP/1.1x", "", "HTTP/0.9", "HTTP/9.9", "HTTPS/1.1",
                                       "HTTP/1.1 extra"])
        elif kind in (3, 4):  # replace a header's value
            if hs:
                h = rng.choice(hs)
                name = h[0].lower()
                if name in ("content-length", "upload-offset", "upload-length", "parta-answer-length"):
                    h[1] = rng.choice(INTERESTING_NUMBERS + ["{LEN}", "{SEEDLEN}", "{LEN+1}", "{LEN-1}", "{SEEDLEN+1}"])
                elif name == "parta-signature":
                    h[1] = rng.choice(["", "{SIG}" + "=", "A" * 88, "A" * 86 + "==", "!!!!", "{SIG}{SIG}", "{SIG}".lower(),
                                       base64.b64encode(rng.randbytes(64)).decode(), "{SIG}\x00"])
                elif name == "range":
                    h[1] = rng.choice(RANGES)
                elif name == "cookie":
                    h[1] = rng.choice(COOKIES)
                elif name == "accept-language":
                    h[1] = rng.choice(LANGUAGES)
                else:
                    h[1] = rng.choice(["", "x" * rng.choice([10, 9000, 70000]), "\xff\x00", "1", "chunked", h[1] + h[1]])
        elif kind == 5:  # duplicate a header, with the same or another value
            if hs:
                h = list(rng.choice(hs))
                if rng.random() < 0.5 and h[0].lower() in ("content-length", "upload-offset", "upload-length"):
                    h[1] = rng.choice(INTERESTING_NUMBERS)
                hs.insert(rng.randrange(len(hs) + 1), h)
        elif kind == 6:  # delete a header
            if hs:
                hs.pop(rng.randrange(len(hs)))
        elif kind == 7:  # add a header
            hs.append(rng.choice([
                ["Transfer-Encoding", "chunked"], ["Transfer-Encoding", "gzip, chunked"], ["Transfer-Encoding", "identity"],
                ["Transfer-Encoding", "chunked, chunked"], ["Content-Length", rng.choice(INTERESTING_NUMBERS)],
                ["Upload-Offset", rng.choice(INTERESTING_NUMBERS)], ["Upload-Length", rng.choice(INTERESTING_NUMBERS)],
                ["Parta-Signature", "{SIG}"], ["Range", rng.choice(RANGES)], ["Cookie", rng.choice(COOKIES)],
                ["Accept-Language", rng.choice(LANGUAGES)], ["Expect", "100-continue"], ["Connection", "keep-alive"],
                ["Connection", "close"], ["Content-Encoding", "gzip"], ["Host", ""], ["X-" + "a" * 5000, "1"],
                ["Bad Name", "1"], ["", "empty name"], ["Na\x00me", "v"], ["Big", "v" * rng.choice([8000, 65000, 300000])],
                ["Folded", "a\r\n b"], ["Parta-Resumable", rng.choice(["1", "0", "2", ""])],
                ["Content-Type", rng.choice(["application/vnd.parta.bundle", "text/plain", "multipart/form-data; boundary=x", ""])]]))
        elif kind == 8:  # many headers
            for i in range(rng.choice([50, 200, 2000])):
                hs.append(["X-Many-%d" % i, "v"])
        elif kind == 9:
            r["ops"].append(["flip", rng.randrange(1 << 20), rng.randrange(8)])
        elif kind == 10:
            r["ops"].append(["trunc", rng.randrange(1 << 12)])
        elif kind == 11:
            other = rng.choice(list(seeds))
            r["ops"].append(["splice", other, rng.randrange(1 << 12), rng.randrange(1 << 12), rng.randrange(1 << 12)])
        elif kind == 12:  # rewrite a framing number: header length (u32 at 10), payload lengths (u64 at 14+H, 22+H)
            where = rng.choice(["H", "U", "C"])
            r["ops"].append(["frame", where, rng.choice([0, 1, 29, 30, 255, 256, 1 << 20, 8 << 20, (8 << 20) + 1, 64 << 20,
                                                        (1 << 31) - 1, 1 << 32, (1 << 63) - 1, (1 << 64) - 1, -1, +1, -30])])
        elif kind == 13:
            r["ops"].append(["insert", rng.randrange(1 << 12), rng.randbytes(rng.choice([1, 4, 16, 300])).hex()])
        elif kind == 14:
            r["ops"].append(["chunked", rng.choice([1, 7, 100, 4096]), rng.choice(["ok", "ok", "bigger", "smaller", "neg", "overflow",
                                                                                    "noterm", "ext", "badhex", "nocrlf"])])
            if not any(h[0].lower() == "transfer-encoding" for h in hs):
                hs.append(["Transfer-Encoding", "chunked"])
            if rng.random() < 0.7:
                r["headers"] = [h for h in hs if h[0].lower() != "content-length"]
        elif kind == 15:
            r["cut"] = rng.choice([0, 1, 10, 40, 100, 300, 2000, 5000])
        elif kind == 16 and depth < 2:
            follower = mutate(base_recipe(rng, seeds), rng, seeds, depth + 1)
            follower.pop("then", None)
            r.setdefault("then", []).append(follower)
        elif kind == 17:
            r["trailing"] = rng.choice(["", "\r\n", "GARBAGE", "\r\n\r\n", "0\r\n\r\n", "x" * 1000]).encode("latin-1").hex()
    return r


class Context:
    """What placeholders stand for in this run."""

    def __init__(self, seeds, port):
        self.seeds = seeds
        self.port = port
        self.answers = []
        self.cookie = "parta_session=none"
        self.csrf = "none"
        self.lock = threading.Lock()

    def seed(self, name):
        if name == "form":
            return ("csrf=%s&name=admin&password=wrong" % self.csrf).encode()
        return self.seeds.get(name, self.seeds["school"])

    def answer(self, rng):
        with self.lock:
            return rng.choice(self.answers) if self.answers and rng.random() < 0.8 else hexid(rng)


def frame_edit(body, where, value):
    b = bytearray(body)
    if len(b) < 14:
        return bytes(b)
    h = int.from_bytes(b[10:14], "big")
    off, size = {"H": (10, 4), "U": (14 + h, 8), "C": (22 + h, 8)}[where]
    if off + size > len(b):
        return bytes(b)
    old = int.from_bytes(b[off:off + size], "big")
    if value in (-1, 1, -30):
        value = old + value
    value %= 1 << (8 * size)
    b[off:off + size] = value.to_bytes(size, "big")
    return bytes(b)


def chunk_encode(body, size, style):
    out = bytearray()
    pieces = [body[i:i + size] for i in range(0, len(body), size)] or [b""]
    for i, p in enumerate(pieces):
        n = len(p)
        if i == 0 and style == "bigger":
            n += 10
        elif i == 0 and style == "smaller":
            n = max(0, n - 1)
        head = "%x" % n
        if i == 0 and style == "neg":
            head = "-%x" % n
        elif i == 0 and style == "overflow":
            head = "f" * 40
        elif i == 0 and style == "ext":
            head += ";name=value;" + "e" * 5000
        elif i == 0 and style == "badhex":
            head = "zz"
        out += head.encode() + b"\r\n" + p + (b"" if style == "nocrlf" and i == 0 else b"\r\n")
    if style != "noterm":
        out += b"0\r\n\r\n"
    return bytes(out)


def render_one(r, ctx, rng):
    seed_name = r.get("seed", "empty")
    seed = ctx.seed(seed_name)
    body = seed
    chunked = None
    for op in r.get("ops", []):
        kind = op[0]
        if kind == "slice":
            body = body[op[1]:op[2]]
        elif kind == "flip" and body:
            i = op[1] % len(body)
            body = body[:i] + bytes([body[i] ^ (1 << op[2])]) + body[i + 1:]
        elif kind == "trunc" and body:
            body = body[:op[1] % (len(body) + 1)]
        elif kind == "splice":
            other = ctx.seed(op[1])
            a = op[2] % (len(body) + 1)
            s = op[3] % (len(other) + 1)
            body = body[:a] + other[s:s + op[4]]
        elif kind == "frame":
            body = frame_edit(body, op[1], op[2])
        elif kind == "insert":
            a = op[1] % (len(body) + 1)
            body = body[:a] + bytes.fromhex(op[2]) + body[a:]
        elif kind == "chunked":
            chunked = (op[1], op[2])
    # {ID} and {SIG}: the upload id (checksum) and signature of the unmutated seed, or of another
    # genuine bundle for a request without a body.
    named = ctx.seed(r.get("idseed") or seed_name)
    sig = base64.b64encode(named[-64:]).decode() if len(named) >= 96 else ""
    uid = named[-96:-64].hex() if len(named) >= 96 else hexid(rng)
    wire_body = chunk_encode(body, *chunked) if chunked else body
    subs = {"{HOST}": "127.0.0.1:%d" % ctx.port, "{ID}": uid, "{SIG}": sig, "{LEN}": str(len(body)),
            "{LEN+1}": str(len(body) + 1), "{LEN-1}": str(max(0, len(body) - 1)), "{SEEDLEN}": str(len(seed)),
            "{SEEDLEN+1}": str(len(seed) + 1), "{COOKIE}": ctx.cookie, "{CSRF}": ctx.csrf}
    answer = ctx.answer(rng)

    def fill(text):
        text = text.replace("{ANSWER}", answer)
        for k, v in subs.items():
            text = text.replace(k, v)
        return text
    # Upper-cased placeholders (a path mutation) stand for upper-cased ids.
    path = fill(r["path"].replace("{ID}".upper(), uid.upper()))
    line = ("%s %s %s" % (fill(r["method"]), path, r["version"])).rstrip(" ")
    head = line + "\r\n" + "".join("%s: %s\r\n" % (fill(n), fill(v)) for n, v in r["headers"]) + "\r\n"
    data = head.encode("utf-8", "surrogateescape") + wire_body + bytes.fromhex(r.get("trailing", ""))
    return data


def render(r, ctx, rng):
    data = render_one(r, ctx, rng)
    count = 1
    for f in r.get("then", []):
        data += render_one(f, ctx, rng)
        count += 1
    cut = r.get("cut")
    if cut is not None:
        data = data[:cut]
    return data, count


def endpoint(r):
    # The hub routes an absolute-form target by its path, and collapses repeated slashes.
    p = re.sub(r"/+", "/", re.sub(r"^[a-z]+://[^/]*", "", r["path"].split("?")[0]))
    for prefix in ("/v1/uploads", "/v1/answers", "/v1/sync", "/healthz", "/metrics"):
        if p.startswith(prefix):
            return r["method"] + " " + prefix
    return r["method"][:10] + " dashboard"


# ---------------------------------------------------------------------------------------------
# The wire

def parse_answers(data):
    """(status, headers) of every whole answer in `data`, in order, read by Content-Length."""
    answers = []
    pos = 0
    while True:
        end = data.find(b"\r\n\r\n", pos)
        if end < 0:
            break
        head = data[pos:end].decode("latin-1")
        lines = head.split("\r\n")
        m = re.match(r"HTTP/1\.[01] (\d{3})", lines[0])
        if not m:
            break
        headers = {}
        for l in lines[1:]:
            if ":" in l:
                k, v = l.split(":", 1)
                headers[k.strip().lower()] = v.strip()
        answers.append((int(m.group(1)), headers))
        length = int(headers.get("content-length", "0") or 0) if headers.get("content-length", "0").isdigit() else 0
        pos = end + 4 + length
        if pos > len(data):
            break
    return answers


def whole(data):
    """Whether `data` holds a whole answer (its head and Content-Length bytes of body)."""
    end = data.find(b"\r\n\r\n")
    if end < 0:
        return False
    m = re.search(rb"\r\ncontent-length:\s*(\d+)", data[:end], re.I)
    return len(data) >= end + 4 + (int(m.group(1)) if m else 0)


def exchange(port, data, expected, cut, rng):
    """Sends `data` (closing right after if `cut`), reads until `expected` answers are whole, the
    hub closes, READ_QUIET passes without a byte, or READ_LIMIT in all. Returns the bytes read."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(3)
    got = b""
    try:
        s.connect(("127.0.0.1", port))
        if rng.random() < 0.15 and len(data) > 10:
            # in a few pieces, a few milliseconds apart
            step = max(1, len(data) // rng.choice([2, 3, 7]))
            for i in range(0, len(data), step):
                s.sendall(data[i:i + step])
                time.sleep(0.005)
        else:
            s.sendall(data)
        if cut is not None:
            if rng.random() < 0.5:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # RST
            s.close()
            return b""
        start = time.time()
        last = start
        s.setblocking(False)
        while time.time() - start < READ_LIMIT and time.time() - last < READ_QUIET:
            ready, _, _ = select.select([s], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = s.recv(65536)
            except (BlockingIOError, InterruptedError):
                continue
            if not chunk:
                break
            got += chunk
            last = time.time()
            if len(parse_answers(got)) >= expected:
                break
    except (ConnectionError, socket.timeout, OSError):
        pass
    finally:
        try:
            s.close()
        except OSError:
            pass
    return got


def get(port, path, timeout, headers=""):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        s.sendall(("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n%sConnection: close\r\n\r\n" % (path, port, headers)).encode())
        data = b""
        deadline = time.time() + timeout
        while time.time() < deadline and not whole(data):
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        return data
    finally:
        s.close()


def healthy(setup):
    if setup.server.poll() is not None:
        return "the hub exited with status %s" % setup.server.returncode
    t = time.time()
    try:
        data = get(setup.port, "/healthz", HEALTH_TIMEOUT)
    except (OSError, socket.timeout) as e:
        return "GET /healthz failed after %.1f s: %s" % (time.time() - t, e)
    answers = parse_answers(data)
    if not answers or answers[0][0] != 200:
        return "GET /healthz answered %r after %.1f s" % (data[:200], time.time() - t)
    return None


def sign_in_form(ctx, port):
    try:
        data = get(port, "/login", 5)
        m = re.search(rb"Set-Cookie: ([^;\r\n]+)", data, re.I)
        c = re.search(rb'name="csrf" value="([^"]+)"', data)
        if m:
            ctx.cookie = m.group(1).decode("latin-1")
        if c:
            ctx.csrf = c.group(1).decode("latin-1")
    except OSError:
        pass


# ---------------------------------------------------------------------------------------------
# The run

class Fuzzer:
    def __init__(self, setup, seeds, args):
        self.setup = setup
        self.ctx = Context(seeds, setup.port)
        self.args = args
        self.rng = random.Random(args.seed)
        self.lock = threading.Lock()
        self.requests = 0
        self.connections = 0
        self.statuses = {}
        self.seen = set()          # (endpoint, status, Parta-Reason)
        self.seen_status = set()   # (endpoint, status): a new one goes into the corpus
        self.corpus = []
        self.new_corpus = 0
        self.findings = []
        self.finding_counts = {}
        self.recent = []
        self.peak_rss = 0
        self.stop = False
        self.replaying = False
        self.load_corpus()

    def load_corpus(self):
        os.makedirs(CORPUS, exist_ok=True)
        for name in sorted(os.listdir(CORPUS)):
            if name.endswith(".json"):
                try:
                    with open(os.path.join(CORPUS, name)) as f:
                        self.corpus.append(json.load(f))
                except (OSError, ValueError):
                    log("http-fuzz: skipping unreadable corpus file %s" % name)
        self.corpus_files = len(self.corpus)

    def finding(self, kind, detail, data=None, recipe=None, recent=None):
        # The same finding over and over: its first few examples are saved, the rest counted.
        with self.lock:
            self.finding_counts[(kind, detail)] = self.finding_counts.get((kind, detail), 0) + 1
            if self.finding_counts[(kind, detail)] > 3:
                return
        os.makedirs(FINDINGS, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        digest = hashlib.sha1((detail + kind).encode() + (data or b"")).hexdigest()[:10]
        base = os.path.join(FINDINGS, "%s-%s-%s" % (stamp, kind, digest))
        if data is not None:
            with open(base + ".http", "wb") as f:
                f.write(data)
        meta = {"kind": kind, "detail": detail, "recipe": recipe}
        if recent:
            meta["recent_requests"] = [{"recipe": r, "bytes_file": os.path.basename(base) + "-recent-%d.http" % i}
                                       for i, (r, _) in enumerate(recent)]
            for i, (_, d) in enumerate(recent):
                with open(base + "-recent-%d.http" % i, "wb") as f:
                    f.write(d)
        with open(base + ".json", "w") as f:
            json.dump(meta, f, indent=1, sort_keys=True)
        with self.lock:
            self.findings.append((kind, detail, base))
        log("http-fuzz: FINDING %s: %s (%s)" % (kind, detail, os.path.relpath(base, ROOT)))

    def judge(self, recipe, data, got):
        recipes = [recipe] + recipe.get("then", [])
        answers = parse_answers(got)
        for i, (status, headers) in enumerate(answers):
            r = recipes[min(i, len(recipes) - 1)]
            reason = headers.get("parta-reason", "")
            key = (endpoint(r), status, reason)
            with self.lock:
                self.statuses[status] = self.statuses.get(status, 0) + 1
                fresh = key[:2] not in self.seen_status
                self.seen.add(key)
                self.seen_status.add(key[:2])
                if "parta-answer" in headers and re.fullmatch(r"[0-9a-f]{64}", headers["parta-answer"]):
                    with self.ctx.lock:
                        if headers["parta-answer"] not in self.ctx.answers:
                            self.ctx.answers.append(headers["parta-answer"])
            if fresh:
                self.keep(recipe, key)
            if status >= 500 and not (status == 503 and reason in DOCUMENTED_503 and "retry-after" in headers):
                self.finding("5xx", "%s answered %d %s" % (key[0], status, reason), data, recipe)

    def keep(self, recipe, key):
        with self.lock:
            if self.corpus_files >= MAX_CORPUS or self.replaying:
                return
            self.corpus_files += 1
            self.new_corpus += 1
        text = json.dumps(recipe, sort_keys=True)
        if len(text) > 20000:  # keep the corpus small: huge headers are made again by mutation
            with self.lock:
                self.corpus_files -= 1
                self.new_corpus -= 1
            return
        name = hashlib.sha1(text.encode()).hexdigest()[:16] + ".json"
        with open(os.path.join(CORPUS, name), "w") as f:
            f.write(json.dumps({"found": "%s %d %s" % key, **recipe}, sort_keys=True, indent=1) + "\n")
        with self.lock:
            self.corpus.append(recipe)

    def one(self, recipe, rng):
        data, count = render(recipe, self.ctx, rng)
        got = exchange(self.setup.port, data, count, recipe.get("cut"), rng)
        with self.lock:
            self.requests += count
            self.connections += 1
            self.recent.append((recipe, data))
            del self.recent[:-8]
        self.judge(recipe, data, got)

    def worker(self, index, deadline):
        rng = random.Random((self.args.seed or 0) * 1000 + index)
        while not self.stop and time.time() < deadline:
            with self.lock:
                pool = list(self.corpus)
            if pool and rng.random() < 0.6:
                base = rng.choice(pool)
                base = {k: v for k, v in base.items() if k != "found"}
            else:
                base = base_recipe(rng, self.ctx.seeds)
            recipe = mutate(base, rng, self.ctx.seeds) if rng.random() < 0.85 else base
            try:
                self.one(recipe, rng)
            except Exception as e:  # a fuzzer bug must not stop the run silently
                log("http-fuzz: worker %d: %r" % (index, e))
                time.sleep(0.1)

    def run(self, seconds):
        sign_in_form(self.ctx, self.setup.port)
        # Replay the corpus first, so that what it found counts as seen.
        self.replaying = True
        rng = random.Random(1)
        for recipe in list(self.corpus):
            self.one({k: v for k, v in recipe.items() if k != "found"}, rng)
        self.replaying = False
        log("http-fuzz: replayed %d corpus inputs; fuzzing for %d s with %d workers" % (len(self.corpus), seconds, self.args.workers))
        deadline = time.time() + seconds
        threads = [threading.Thread(target=self.worker, args=(i, deadline), daemon=True) for i in range(self.args.workers)]
        for t in threads:
            t.start()
        checked = 0
        last_print = time.time()
        while time.time() < deadline:
            time.sleep(0.2)
            with self.lock:
                n = self.requests
            self.peak_rss = max(self.peak_rss, self.setup.rss_kb())
            if n - checked >= self.args.check_every:
                checked = n
                problem = healthy(self.setup)
                if problem:
                    with self.lock:
                        recent = list(self.recent)
                    self.finding("health", problem, recent=recent)
                    if self.setup.server.poll() is None:
                        # Hung: give it a moment, then look again before going on.
                        time.sleep(5)
                        if healthy(self.setup):
                            log("http-fuzz: the hub stays unhealthy; restarting it")
                            self.setup.stop()
                    if self.setup.server.poll() is not None:
                        self.setup.restarts += 1
                        self.setup.start()
                        self.ctx.port = self.setup.port
                        sign_in_form(self.ctx, self.setup.port)
                if self.rng.random() < 0.2:
                    sign_in_form(self.ctx, self.setup.port)
            if time.time() - last_print > 30:
                last_print = time.time()
                log("http-fuzz: %d requests, statuses %s, %d findings, hub RSS %d MB" % (
                    n, dict(sorted(self.statuses.items())), len(self.findings), self.setup.rss_kb() // 1024))
        self.stop = True
        for t in threads:
            t.join(READ_LIMIT + 10)


def main(argv):
    import argparse
    p = argparse.ArgumentParser(description="Fuzz the hub's HTTP endpoints")
    p.add_argument("seconds", nargs="?", type=int, default=60)
    p.add_argument("--parta", default=os.environ.get("PARTA_BINARY"))
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--check-every", type=int, default=200)
    p.add_argument("--keep", action="store_true", help="keep the run's data folders")
    args = p.parse_args(argv)
    if args.seed is None:
        args.seed = random.randrange(1 << 30)
    if not args.parta:
        candidates = [os.path.join(ROOT, ".build", c, "parta") for c in ("release", "debug")]
        candidates = [c for c in candidates if os.path.exists(c)]
        if not candidates:
            log("http-fuzz: no parta binary; build it (swift build --product parta) or pass --parta")
            return 2
        args.parta = max(candidates, key=os.path.getmtime)
    work = tempfile.mkdtemp(prefix="parta-httpfuzz-")
    setup = Setup(args.parta, work)
    started = time.time()
    try:
        try:
            setup.build()
            seeds = make_seeds(setup)
        except Exception as e:
            log("http-fuzz: setup failed: %s" % e)
            return 2
        log("http-fuzz: hub on port %d (%s), seeds %s, RNG seed %d" % (
            setup.port, args.parta, {k: len(v) for k, v in seeds.items()}, args.seed))
        fuzzer = Fuzzer(setup, seeds, args)
        fuzzer.run(args.seconds)
        problem = healthy(setup)
        if problem:
            fuzzer.finding("health", "at the end: " + problem, recent=list(fuzzer.recent))
            if setup.server.poll() is not None:
                setup.start()
        sync = setup.run(["sync", setup.url, "--data", setup.school], check=False, timeout=180)
        if sync.returncode != 0:
            fuzzer.finding("final-sync", "parta sync exit %d: %s" % (sync.returncode, (sync.stderr or sync.stdout)[-2000:]))
        setup.stop()
        report = setup.run(["hub", "report", "--data", setup.hub], check=False)
        if report.returncode != 0:
            fuzzer.finding("final-report", "parta hub report exit %d: %s" % (report.returncode, report.stderr[-2000:]))
        summary = {
            "seconds": round(time.time() - started, 1), "fuzz_seconds": args.seconds, "rng_seed": args.seed,
            "requests": fuzzer.requests, "connections": fuzzer.connections,
            "statuses": {str(k): v for k, v in sorted(fuzzer.statuses.items())},
            "distinct_endpoint_status_reason": len(fuzzer.seen), "corpus_replayed": len(fuzzer.corpus) - fuzzer.new_corpus,
            "corpus_added": fuzzer.new_corpus, "hub_restarts": setup.restarts, "hub_peak_rss_mb": fuzzer.peak_rss // 1024,
            "final_sync_exit": sync.returncode, "final_report_exit": report.returncode,
            "findings": [{"kind": k, "detail": d, "times": fuzzer.finding_counts.get((k, d), 1),
                          "examples": [os.path.relpath(b, ROOT) for k2, d2, b in fuzzer.findings if (k2, d2) == (k, d)]}
                         for k, d in sorted({(k, d) for k, d, _ in fuzzer.findings})],
        }
        print(json.dumps(summary, indent=1, sort_keys=True))
        return 1 if fuzzer.findings else 0
    finally:
        setup.stop()
        if args.keep:
            log("http-fuzz: data kept in %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

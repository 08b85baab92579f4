#!/usr/bin/env python3
"""Helpers for scripts/scan (standard library only).

  scan_helper.py totp SECRET                 the current TOTP code (RFC 6238, SHA-1, 6 digits, 30 s)
  scan_helper.py cookies JAR WAPITI_JSON     curl's cookie jar -> wapiti's JSON cookie file;
                                             prints the Cookie header value (for sqlmap)
  scan_helper.py forms HTML_FILE               the page's forms (not multipart, not /lang, not sign-out) as
                                             lines METHOD<TAB>ACTION<TAB>urlencoded default values
  scan_helper.py report OUT_DIR SECURITY_MD BASE_URL
                                             reads the scanners' reports in OUT_DIR, matches each
                                             finding against the justified ones in SECURITY.md,
                                             writes OUT_DIR/summary.md and exits 1 when a high or
                                             medium finding is not justified
"""

import base64
import fnmatch
import glob
import hashlib
import hmac
import json
import os
import re
import struct
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

SEVERITIES = ["info", "low", "medium", "high", "critical"]


def totp(secret: str) -> str:
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = struct.pack(">Q", int(time.time()) // 30)
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def cookies(jar: str, out: str) -> None:
    wapiti: dict = {}
    header = []
    with open(jar, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#HttpOnly_"):
                line = line[len("#HttpOnly_") :]
            elif not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) != 7:
                continue
            domain, _, path, secure, expires, name, value = parts
            wapiti.setdefault(domain, {}).setdefault(path, {})[name] = {
                "value": value,
                "expires": int(expires) or None,
                "secure": secure == "TRUE",
                "port": None,
                "version": 0,
            }
            header.append(f"{name}={value}")
    with open(out, "w", encoding="utf-8") as f:
        json.dump(wapiti, f)
    print("; ".join(header))


class FormParser(HTMLParser):
    """Collects each form's method, action, enctype and default field values."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self.forms.append({"method": a.get("method", "get").upper(), "action": a.get("action", ""),
                               "enctype": a.get("enctype", ""), "fields": []})
        elif not self.forms:
            return
        elif tag == "input" and a.get("name") and a.get("type", "text") not in ("submit", "button", "file", "image", "reset"):
            kind = a.get("type", "text")
            fields = self.forms[-1]["fields"]
            if kind in ("radio", "checkbox") and any(n == a["name"] for n, _ in fields):
                return
            value = a.get("value", "")
            if not value and kind not in ("hidden", "radio", "checkbox"):
                value = {"email": "someone@example.vn", "date": "2026-01-15", "number": "1", "tel": "0912345678"}.get(kind, "abc")
            fields.append((a["name"], value or "1"))
        elif tag == "select" and a.get("name"):
            self.select = a["name"]
        elif tag == "option" and self.select:
            self.forms[-1]["fields"].append((self.select, a.get("value", "")))
            self.select = None
        elif tag == "textarea" and a.get("name"):
            self.forms[-1]["fields"].append((a["name"], "abc"))

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None


def forms(html_file):
    parser = FormParser()
    with open(html_file, encoding="utf-8", errors="replace") as f:
        parser.feed(f.read())
    for form in parser.forms:
        action = form["action"]
        if "multipart" in form["enctype"] or action in ("/lang", "/logout", "/logout-everywhere") or not action:
            continue
        print(f"{form['method']}\t{action}\t{urllib.parse.urlencode(form['fields'])}")


# --- findings -------------------------------------------------------------------------------


class Finding:
    def __init__(self, scanner, identity, category, severity, method, path, info, request=""):
        self.scanner = scanner
        self.identity = identity
        self.category = category
        self.severity = severity
        self.method = method
        self.path = path
        self.info = info
        self.request = request
        self.justified_by = None
        self.note = ""

    def where(self):
        return f"{self.method} {self.path}"


def wapiti_findings(out_dir):
    found = []
    for report in sorted(glob.glob(os.path.join(out_dir, "wapiti-*.json"))):
        identity = os.path.basename(report)[len("wapiti-") : -len(".json")]
        with open(report, encoding="utf-8") as f:
            data = json.load(f)
        for section in ("vulnerabilities", "anomalies"):
            for category, items in (data.get(section) or {}).items():
                for item in items or []:
                    level = int(item.get("level", 0))
                    found.append(
                        Finding(
                            "wapiti",
                            identity,
                            category,
                            SEVERITIES[min(level, 4)],
                            item.get("method", "GET"),
                            item.get("path", "/"),
                            (item.get("info") or "").strip(),
                            item.get("http_request", ""),
                        )
                    )
    return found


INJECTION = re.compile(r"^Parameter: (?P<param>.+?) \((?P<place>[^)]+)\)", re.M)
SERVER_ERRORS = re.compile(r"\b(?P<code>5\d\d) \((?P<reason>[^)]*)\) - (?P<n>\d+) times")


def sqlmap_findings(out_dir):
    """One finding per injection point sqlmap confirmed, and one per target that made the
    server answer 500 (an error the portal should have turned into a message)."""
    found = []
    for log in sorted(glob.glob(os.path.join(out_dir, "sqlmap-*", "*.log"))):
        identity = os.path.basename(os.path.dirname(log))[len("sqlmap-") :]
        name = os.path.basename(log)[: -len(".log")]
        with open(log, encoding="utf-8", errors="replace") as f:
            text = f.read()
        first = text.splitlines()[0] if text else ""
        method, _, target = first.partition(" ")
        path = re.sub(r"^https?://[^/]+", "", target.split("?")[0]) or "/"
        for m in INJECTION.finditer(text):
            found.append(
                Finding("sqlmap", identity, "SQL Injection", "high", method or "GET", path,
                        f"{m.group('param')} ({m.group('place')}) is injectable [{name}]")
            )
        for m in SERVER_ERRORS.finditer(text):
            found.append(
                Finding("sqlmap", identity, "Internal Server Error", "medium", method or "GET", path,
                        f"{m.group('n')} answers {m.group('code')} {m.group('reason')} [{name}]")
            )
    return found


def server_findings(out_dir):
    found = []
    log = os.path.join(out_dir, "server.log")
    if os.path.exists(log):
        with open(log, encoding="utf-8", errors="replace") as f:
            panics = [line.strip() for line in f if "panicked" in line]
        for line in panics[:20]:
            found.append(Finding("server", "-", "Panic", "high", "-", "-", line[:300]))
        with open(log, encoding="utf-8", errors="replace") as f:
            errors = sum(1 for line in f if "response failed" in line and "Status code: 5" in line)
        if errors:
            found.append(Finding("server", "-", "Internal Server Error", "medium", "-", "-",
                                 f"{errors} responses with a 5xx status in the server log"))
    return found


# --- justifications --------------------------------------------------------------------------


def justifications(security_md):
    """Rows of the table under '## Black-box scans' whose first cell names a scanner:
    | scanner | finding | where | severity | why |, `where` being `METHOD /path` with globs."""
    rows = []
    with open(security_md, encoding="utf-8") as f:
        for line in f:
            cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
            if len(cells) >= 5 and cells[0] in ("wapiti", "sqlmap"):
                rows.append(
                    {"scanner": cells[0], "category": cells[1], "where": cells[2],
                     "severity": cells[3], "why": cells[4]}
                )
    return rows


def cross_origin_refused(base, method, path):
    """The proof behind the CSRF justification: the same request from another origin is
    refused with 403 before any handler runs."""
    req = urllib.request.Request(
        base.rstrip("/") + path,
        data=b"x=1",
        method=method,
        headers={"Origin": "https://attacker.example", "Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status == 403
    except urllib.error.HTTPError as e:
        return e.code == 403
    except OSError:
        return False


def justify(findings, rows, base):
    for f in findings:
        for row in rows:
            if row["scanner"] != f.scanner or row["category"].lower() != f.category.lower():
                continue
            if not fnmatch.fnmatchcase(f.where(), row["where"]):
                continue
            if f.category.lower() == "cross site request forgery":
                if not cross_origin_refused(base, f.method, f.path):
                    f.note = "a cross-origin request was NOT refused"
                    continue
                f.note = "cross-origin request refused with 403 (checked)"
            f.justified_by = row
            break


def report(out_dir, security_md, base):
    findings = wapiti_findings(out_dir) + sqlmap_findings(out_dir) + server_findings(out_dir)
    justify(findings, justifications(security_md), base)

    lines = ["# Black-box scan findings", ""]
    counts = {}
    for f in findings:
        key = (f.scanner, f.severity)
        counts[key] = counts.get(key, 0) + 1
    lines.append("| scanner | " + " | ".join(SEVERITIES) + " |")
    lines.append("| --- |" + " --- |" * len(SEVERITIES))
    for scanner in ("wapiti", "sqlmap", "server"):
        lines.append(f"| {scanner} | " + " | ".join(str(counts.get((scanner, s), 0)) for s in SEVERITIES) + " |")
    lines.append("")
    lines.append("| scanner | identity | severity | finding | where | detail | status |")
    lines.append("| --- | --- | --- | --- | --- | --- | --- |")
    order = {s: i for i, s in enumerate(SEVERITIES)}
    failing = []
    for f in sorted(findings, key=lambda f: (-order[f.severity], f.scanner, f.category, f.path)):
        serious = order[f.severity] >= order["medium"]
        if f.justified_by:
            status = "justified in SECURITY.md" + (f" ({f.note})" if f.note else "")
        elif serious:
            status = "**NOT JUSTIFIED**" + (f" ({f.note})" if f.note else "")
            failing.append(f)
        else:
            status = "low: listed for information"
        detail = f.info.replace("|", "\\|").replace("\n", " ")[:160]
        lines.append(f"| {f.scanner} | {f.identity} | {f.severity} | {f.category} | `{f.where()}` | {detail} | {status} |")
    skipped = sorted(glob.glob(os.path.join(out_dir, "sqlmap-*", "*.skipped")))
    if skipped:
        lines.append(f"sqlmap targets skipped for lack of time ({len(skipped)}): "
                     + ", ".join(os.path.relpath(p, out_dir)[: -len(".skipped")] for p in skipped))
    lines.append("")
    summary = "\n".join(lines)
    with open(os.path.join(out_dir, "summary.md"), "w", encoding="utf-8") as fh:
        fh.write(summary)
    print(summary)
    if failing:
        print(f"{len(failing)} high or medium finding(s) not justified in SECURITY.md", file=sys.stderr)
        return 1
    print("no unjustified high or medium finding")
    return 0


def main(argv):
    if len(argv) >= 2 and argv[0] == "totp":
        print(totp(argv[1]))
        return 0
    if len(argv) >= 3 and argv[0] == "cookies":
        cookies(argv[1], argv[2])
        return 0
    if len(argv) >= 2 and argv[0] == "forms":
        forms(argv[1])
        return 0
    if len(argv) >= 4 and argv[0] == "report":
        return report(argv[1], argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

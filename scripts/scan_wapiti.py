#!/usr/bin/python3
"""Runs Debian's wapiti (3.0.4) for scripts/scan with two changes:
- its exclusion patterns (-x) are compiled with the regex flags at the end of the expression,
  which the Python of Debian 12 (3.11) refuses, so any -x crashed the crawl;
- wapiti instantiates every attack module, used or not, and two of them (wapp, nikto)
  download their databases from the internet when they start: they are left out, so the scan
  sends nothing beyond the portal on 127.0.0.1.
Arguments are wapiti's."""

import re
import sys

from wapitiCore.attack import attack
from wapitiCore.net import crawler

attack.modules = [m for m in attack.modules if m not in ("mod_wapp", "mod_nikto")]


def wildcard_translate(pattern):
    """`*` matches anything; everything else literally."""
    return re.compile("(?ms)" + ".*".join(re.escape(part) for part in pattern.split("*")) + r"\Z")


crawler.wildcard_translate = wildcard_translate

from wapitiCore.main.wapiti import wapiti_main  # noqa: E402  (after the fix above)

if __name__ == "__main__":
    sys.argv[0] = "wapiti"
    sys.exit(wapiti_main())

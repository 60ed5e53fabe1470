#!/usr/bin/env python3
"""Parity of the Win32 backend with the .reg backend, for every Windows fixture host.

For each fixture host whose host.toml says os = "windows": the Wine prefix's registry is reset to
its state after wineboot, the host's .reg exports are imported with Wine's own regedit, its C:
files are copied into the prefix's drive_c, and each user's NTUSER.DAT becomes a hive Wine can
load (exported by hivexregedit, imported by regedit, saved by RegSaveKeyW: Wine loads only hives
in its own format; a damaged one is copied as it is). Then the MinGW-built vigie-agent.exe scans
Wine's live registry and the native vigie-agent scans the fixture directory, with the same
pseudonym key, and the reports must state the same facts: Office installs, evidence, failing
probes and verdict. Probe error texts are not compared: they quote each backend's own reason
(a hivex error on one side, a Win32 one on the other). A host whose .reg exports are damaged on
purpose is skipped, saying so: the .reg backend refuses the whole registry, while regedit imports
what it can, and a live registry cannot be damaged that way.

usage: wine_parity.py NATIVE_AGENT WINDOWS_AGENT HIVE_TOOL FIXTURES_DIR WORK_DIR
(WINEPREFIX names the prefix, made by wine-prefix.sh.)
"""
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

KEY = "5" * 64
# What the last host put into drive_c, removed before the next one (Program Files included).
ADDED = []


def windows_path(path):
    return "Z:" + str(path).replace("/", "\\")


def wine(*args):
    # Not the test's output: Wine's services, started by the first program, inherit it.
    return subprocess.run(["wine", *map(str, args)], check=True, stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)


def decode_reg(data):
    """Text of a .reg export as regedit writes them (UTF-16LE) or as fixtures may (UTF-8)."""
    if data.startswith(b"\xff\xfe"):
        return data[2:].decode("utf-16-le")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith(b"REGEDIT4"):
        return data.decode("cp1252")
    return data.decode("utf-8")


def body_of(text):
    """A .reg file without its header line, to join several into one import."""
    return text.split("\n", 1)[1] if "\n" in text else ""


def is_windows_host(fixture):
    host = fixture / "host.toml"
    return host.is_file() and re.search(r'^os\s*=\s*"windows"', host.read_text(), re.M)


def reset_prefix(prefix, pristine):
    subprocess.run(["wineserver", "-k"], check=False)
    subprocess.run(["wineserver", "-w"], check=False)
    if not pristine.exists():
        pristine.mkdir(parents=True)
        for name in ("system.reg", "user.reg", "userdef.reg"):
            shutil.copy2(prefix / name, pristine / name)
        (pristine / "users").write_text("\n".join(sorted(
            p.name for p in (prefix / "drive_c" / "users").iterdir())))
    for name in ("system.reg", "user.reg", "userdef.reg"):
        shutil.copy2(pristine / name, prefix / name)
    for path in reversed(ADDED):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        elif path.exists():
            path.unlink()
    ADDED.clear()
    keep = set((pristine / "users").read_text().split("\n"))
    for profile in (prefix / "drive_c" / "users").iterdir():
        if profile.name not in keep:
            shutil.rmtree(profile)
    # Its own output, not the test's: a persistent wineserver would hold ctest's pipe open.
    subprocess.run(["wineserver", "-p"], check=True, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def drive_c_target(prefix, relative):
    """Where C:\\<relative> of the fixture lands in drive_c ("Users" is Wine's "users")."""
    parts = list(relative.parts)
    if parts and parts[0].lower() == "users":
        parts[0] = "users"
    return prefix / "drive_c" / Path(*parts)


def load_host(fixture, prefix, work):
    imports = []
    for export in sorted((fixture / "registry").glob("*.reg")):
        imports.append(body_of(decode_reg(export.read_bytes())))
    hives = []
    drive = fixture / "C"
    for source in sorted(drive.rglob("*")) if drive.is_dir() else []:
        target = drive_c_target(prefix, source.relative_to(drive))
        if source.is_dir():
            if not target.exists():
                ADDED.append(target)
                target.mkdir(parents=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        ADDED.append(target)
        name = f"VigieParity{len(hives)}"
        exported = subprocess.run(
            ["hivexregedit", "--export", "--prefix", f"HKEY_USERS\\{name}", source, "\\"],
            capture_output=True, env={**os.environ, "PERL_UNICODE": "SD"})
        if source.name.lower() == "ntuser.dat" and exported.returncode == 0:
            imports.append(body_of(exported.stdout.decode("utf-8").replace("\r\n", "\n")))
            hives.append((name, target))
        else:
            shutil.copy2(source, target)
    combined = work / "import.reg"
    text = "Windows Registry Editor Version 5.00\n" + "\n".join(imports)
    combined.write_bytes(b"\xff\xfe" + text.replace("\r\n", "\n").replace("\n", "\r\n")
                         .encode("utf-16-le"))
    wine("regedit", "/S", windows_path(combined))
    return hives


def facts(report):
    return {
        "officeInstalls": report.get("officeInstalls", []),
        "evidence": report.get("evidence", []),
        "failingProbes": sorted(e["probe"] for e in report.get("probeErrors", [])),
        "verdict": report["verdict"]["status"],
    }


def main():
    native_agent, windows_agent, hive_tool, fixtures, work = map(Path, sys.argv[1:6])
    prefix = Path(os.environ["WINEPREFIX"])
    work.mkdir(parents=True, exist_ok=True)
    state = work / "state"
    state.mkdir(exist_ok=True)
    (state / "pseudonym.key").write_text(KEY + "\n")
    os.chmod(state, 0o700)
    os.chmod(state / "pseudonym.key", 0o600)
    pristine = work / "pristine"
    failures = []
    hosts = [f for f in sorted(fixtures.iterdir()) if is_windows_host(f)]
    try:
        for fixture in hosts:
            compare(fixture, prefix, pristine, work, state, native_agent, windows_agent,
                    hive_tool, failures)
    finally:
        subprocess.run(["wineserver", "-k"], check=False)
    if not hosts:
        print("no Windows fixture host found in", fixtures)
        return 1
    return 1 if failures else 0


def compare(fixture, prefix, pristine, work, state, native_agent, windows_agent, hive_tool,
            failures):
    native = subprocess.run(
        [native_agent, "scan", "--root", fixture, "--format", "json", "--state-dir", state],
        capture_output=True, check=True)
    want = facts(json.loads(native.stdout))
    damaged = [e for e in json.loads(native.stdout).get("probeErrors", [])
               if "registry exports of this host cannot be read" in e["reason"]]
    if damaged:
        print(f"{fixture.name}: skipped, its .reg exports are damaged on purpose")
        return
    reset_prefix(prefix, pristine)
    hives = load_host(fixture, prefix, work)
    if hives:
        wine(hive_tool, *[x for name, target in hives
                          for x in (name, windows_path(target))])
    on_wine = subprocess.run(
        ["wine", windows_agent, "scan", "--format", "json", "--state-dir",
         windows_path(state)], capture_output=True, check=True, timeout=300)
    got = facts(json.loads(on_wine.stdout))
    if got != want:
        failures.append(fixture.name)
        print(f"{fixture.name}: the Win32 backend under Wine differs from the .reg backend\n"
              f"  Wine:   {json.dumps(got, ensure_ascii=False)}\n"
              f"  native: {json.dumps(want, ensure_ascii=False)}")
    else:
        print(f"{fixture.name}: same facts ({len(want['evidence'])} evidence, "
              f"verdict {want['verdict']})")


if __name__ == "__main__":
    sys.exit(main())

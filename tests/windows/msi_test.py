#!/usr/bin/env python3
"""The MSI under Wine (docs/windows.md): its tables (msiinfo), a silent install with the
deployment properties, the service registered and running, a scan kept by the service, a major
upgrade that keeps the configuration, and an uninstall that removes the service and keeps
%ProgramData%\\Vigie.

usage: msi_test.py MSI WXS VERSION WORKDIR (WINEPREFIX in the environment)
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib

MSI, WXS, WORKDIR = (os.path.abspath(sys.argv[i]) for i in (1, 2, 4))
VERSION = sys.argv[3]
PREFIX = pathlib.Path(os.environ["WINEPREFIX"])
DRIVE_C = PREFIX / "drive_c"
INSTALLED_EXE = DRIVE_C / "Program Files" / "Vigie" / "vigie-agent.exe"
SERVICE_DIR = DRIVE_C / "ProgramData" / "Vigie"
UPGRADE_CODE = "{0D562B02-D8CE-49F1-835A-D6E0DF68AD44}"


def fail(message):
    print(f"FAIL: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def run(*command, check_rc=True, timeout=180):
    # Output goes through a file, not a pipe: the first Wine program of a session starts Wine's
    # own services, which inherit its output and would hold a pipe open for the whole session.
    with tempfile.TemporaryFile() as output:
        done = subprocess.run(list(command), stdout=output, stderr=subprocess.STDOUT,
                              timeout=timeout)
        output.seek(0)
        done.stdout = output.read().decode("utf-8", errors="replace")
    if check_rc and done.returncode != 0:
        fail(f"{' '.join(command)} exited {done.returncode}: {done.stdout}")
    return done


def table(msi, name):
    """One table of `msi` as a list of dicts (msiinfo export: names, types, keys, rows)."""
    lines = run("msiinfo", "export", msi, name).stdout.splitlines()
    columns = lines[0].split("\t")
    return [dict(zip(columns, line.split("\t"))) for line in lines[3:]]


def service_state():
    done = run("wine", "sc", "query", "VigieAgent", check_rc=False)
    for line in done.stdout.splitlines():
        if "STATE" in line:
            return line.split()[-1]
    return None


def wait_for(predicate, what, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    fail(f"{what} did not happen within {seconds} s")


def registry_key(key):
    return run("wine", "reg", "query", key, check_rc=False)


def config():
    return tomllib.loads((SERVICE_DIR / "agent.toml").read_text(encoding="utf-8"))


def check_tables():
    properties = {row["Property"]: row["Value"] for row in table(MSI, "Property")}
    check(properties.get("UpgradeCode") == UPGRADE_CODE, f"UpgradeCode: {properties}")
    check(properties.get("ProductVersion") == VERSION, f"ProductVersion: {properties}")
    check(properties.get("MsiHiddenProperties") == "TOKEN", "the token may appear in logs")
    services = table(MSI, "ServiceInstall")
    check(len(services) == 1, f"ServiceInstall: {services}")
    service = services[0]
    check(service["Name"] == "VigieAgent" and service["StartType"] == "2"
          and service["StartName"] == "LocalSystem" and service["Arguments"] == "service",
          f"ServiceInstall: {service}")
    controls = table(MSI, "ServiceControl")
    # 0x01 start at install, 0x02 + 0x20 stop at install and uninstall, 0x80 delete at uninstall.
    check(controls and int(controls[0]["Event"]) == 0x01 | 0x02 | 0x20 | 0x80,
          f"ServiceControl: {controls}")
    upgrades = table(MSI, "Upgrade")
    check(any(row["UpgradeCode"] == UPGRADE_CODE and row["ActionProperty"]
              == "WIX_UPGRADE_DETECTED" for row in upgrades), f"Upgrade: {upgrades}")
    actions = {row["Action"]: row for row in table(MSI, "CustomAction")}
    check("--collector \"[COLLECTOR]\" --token \"[TOKEN]\" --ca \"[CA_FILE]\""
          in actions["Configure"]["Target"], f"CustomAction: {actions}")
    sequence = {row["Action"]: int(row["Sequence"]) for row in table(MSI, "InstallExecuteSequence")}
    check(sequence["InstallServices"] < sequence["Configure"] < sequence["StartServices"],
          f"Configure must run between InstallServices and StartServices: {sequence}")


def installed_products():
    """The product codes of every installed Vigie agent (Uninstall keys named so)."""
    uninstall = registry_key("HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall")
    keys = [line.strip() for line in uninstall.stdout.splitlines()
            if line.strip().startswith("HKEY") and line.strip().endswith("}")]
    return [key.rsplit("\\", 1)[1] for key in keys if "Vigie agent" in registry_key(key).stdout]


def clean_prefix():
    # Whatever an earlier run of a build of this package left (each build has its own product
    # code).
    for product in installed_products():
        run("wine", "msiexec", "/x", product, "/qn", check_rc=False)
    shutil.rmtree(SERVICE_DIR, ignore_errors=True)


def check_install():
    run("wine", "msiexec", "/i", MSI, "/qn", "COLLECTOR=127.0.0.1:50051",
        "TOKEN=vigie-enroll-test", "CA_FILE=C:\\PKI ministère\\ca.pem")
    check(INSTALLED_EXE.is_file(), f"{INSTALLED_EXE} not installed")
    settings = config()
    check(settings.get("collector") == "127.0.0.1:50051", f"collector: {settings}")
    check(settings.get("token") == "vigie-enroll-test", f"token: {settings}")
    check(settings.get("ca") == "C:\\PKI ministère\\ca.pem", f"ca: {settings}")
    check(settings.get("first-scan-delay") == 600, f"default keys missing: {settings}")
    service = registry_key("HKLM\\System\\CurrentControlSet\\Services\\VigieAgent").stdout
    check("vigie-agent.exe service" in service and "LocalSystem" in service, service)
    check("0x2" in service.split("Start")[1].splitlines()[0], f"not automatic: {service}")
    source = registry_key(
        "HKLM\\System\\CurrentControlSet\\Services\\EventLog\\Application\\Vigie").stdout
    check("vigie-agent.exe" in source, f"Event Log source: {source}")
    wait_for(lambda: service_state() == "RUNNING", "the service started by the installer")


def check_service_scan():
    run("wine", "sc", "stop", "VigieAgent")
    wait_for(lambda: service_state() == "STOPPED", "stopping the service", seconds=15)
    text = (SERVICE_DIR / "agent.toml").read_text(encoding="utf-8")
    (SERVICE_DIR / "agent.toml").write_text(
        text.replace("first-scan-delay = 600", "first-scan-delay = 0"), encoding="utf-8")
    report_file = SERVICE_DIR / "last-report.json"
    report_file.unlink(missing_ok=True)
    run("wine", "sc", "start", "VigieAgent")
    wait_for(report_file.exists, "the service's first scan")
    report = json.loads(report_file.read_text(encoding="utf-8"))
    check(report["host"]["osFamily"] == "WINDOWS" and report["verdict"]["status"],
          f"report: {report['host']}")
    check((SERVICE_DIR / "pseudonym.key").is_file(), "no pseudonym key kept")
    run("wine", "sc", "stop", "VigieAgent")
    wait_for(lambda: service_state() == "STOPPED", "stopping the service", seconds=15)


def check_upgrade():
    newer = pathlib.Path(WORKDIR) / "vigie-agent-upgrade.msi"
    version = VERSION.rsplit(".", 1)[0] + "." + str(int(VERSION.rsplit(".", 1)[1]) + 1)
    # The same package, one version up, built as the project's build does (wixl reads
    # vigie-agent.exe from the folder it runs in).
    subprocess.run(["wixl", "--arch", "x64", "-D", f"Version={version}", "-o", str(newer), WXS],
                   cwd=os.path.dirname(MSI), check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    run("wine", "msiexec", "/i", str(newer), "/qn")
    settings = config()
    check(settings.get("token") == "vigie-enroll-test" and settings.get("first-scan-delay") == 0,
          f"the upgrade changed the configuration: {settings}")
    check((SERVICE_DIR / "pseudonym.key").is_file(), "the upgrade lost the state")
    products = installed_products()
    check(len(products) == 1, f"after the upgrade, installed products: {products}")
    wait_for(lambda: service_state() == "RUNNING", "the upgraded service")
    return newer


def check_uninstall(msi):
    run("wine", "msiexec", "/x", str(msi), "/qn")
    check(not INSTALLED_EXE.exists(), "the executable is still there")
    service = registry_key("HKLM\\System\\CurrentControlSet\\Services\\VigieAgent")
    check(service.returncode != 0, f"the service is still registered: {service.stdout}")
    check((SERVICE_DIR / "agent.toml").is_file() and (SERVICE_DIR / "pseudonym.key").is_file(),
          "removal must keep %ProgramData%\\Vigie")


def main():
    check_tables()
    # A prefix's session lasts while its wineserver runs; the next Wine program after it ended
    # boots the prefix again, which starts every automatic service. One persistent server for
    # the whole test keeps a stopped service stopped.
    run("wineserver", "-k", check_rc=False)
    # It stays in the background: its output is not waited for.
    subprocess.run(["wineserver", "-p"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True)
    try:
        run_checks()
    finally:
        run("wineserver", "-k", check_rc=False)


def run_checks():
    clean_prefix()
    check_install()
    check_service_scan()
    newer = check_upgrade()
    check_uninstall(newer)
    print("msi test: tables, install, service scan, upgrade, uninstall: OK")


if __name__ == "__main__":
    main()

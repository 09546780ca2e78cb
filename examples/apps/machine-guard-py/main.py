"""The machine guard over plain HTTP: Python 3 standard library only, no SDK.

Each second it asks the gateway for the newest reading of the sensor bound to `machine`
(GET .../readings?limit=1); for each reading it has not seen it asks the `anomaly` model for a
label, turns the controller bound to `alarm` on when the label becomes `anomaly` and off when
it is `normal` again (never, with the param `quiet`), reports the reading as an output and
prints one line. It samples: readings arriving faster than one a second are not all seen.
It runs until it is killed; a failed call is printed to stderr and tried again later.
"""
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

POLL_SECONDS = 1.0
MAX_WAIT_SECONDS = 30.0
TIMEOUT_SECONDS = 40
FEATURES = ("temperature", "vibration", "current")


class ApiError(Exception):
    """The gateway answered outside 2xx; the message holds the problem's title and detail."""

    def __init__(self, request, status, title, detail):
        super().__init__(f"{request} -> {status} {title}: {detail}")
        self.status = status


def env(name):
    value = os.environ.get(name, "").strip()
    if not value:
        sys.exit(f"{name}: is not set; the platform sets it for every app instance")
    return value


def env_json(name):
    try:
        return json.loads(env(name))
    except ValueError as e:
        sys.exit(f"{name}: not valid JSON ({e})")


URL = env("LATTICE_URL").rstrip("/")
TOKEN = env("LATTICE_TOKEN")
INSTANCE = env("LATTICE_INSTANCE")
BINDINGS = env_json("LATTICE_BINDINGS")
PARAMS = env_json("LATTICE_PARAMS")


def one(binding):
    ids = BINDINGS.get(binding) if isinstance(BINDINGS, dict) else None
    if not isinstance(ids, list) or len(ids) != 1:
        sys.exit(f"LATTICE_BINDINGS: binding '{binding}' should hold one instance id, not {ids!r}")
    return ids[0]


def call(method, path, body=None):
    """One JSON call with the instance's token; the answer's JSON (None if empty)."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(URL + path, data=data, method=method)
    request.add_header("Authorization", "Bearer " + TOKEN)
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:
            text = answer.read()
            try:
                return json.loads(text) if text else None
            except ValueError:
                raise ApiError(f"{method} {path}", answer.status, "Unexpected answer", "not JSON") from None
    except urllib.error.HTTPError as e:
        # An RFC 9457 problem+json body: {"status","title","detail",...}
        try:
            problem = json.loads(e.read() or b"{}")
        except ValueError:
            problem = {}
        raise ApiError(f"{method} {path}", e.code, problem.get("title", e.reason), problem.get("detail", "")) from None


def segment(value):
    return urllib.parse.quote(value, safe="")


class Guard:
    """The state between readings: the last reading seen and the alarm's state as this app set it."""

    def __init__(self, machine, alarm, quiet):
        self.machine = machine
        self.alarm = alarm
        self.quiet = quiet
        self.readings_path = f"/api/v1/sensor-instances/{segment(machine)}/readings?limit=1"
        self.commands_path = f"/api/v1/controller-instances/{segment(alarm)}/commands"
        self.outputs_path = f"/api/v1/app-instances/{segment(INSTANCE)}/outputs"
        self.last_ts = None
        self.alarm_on = None  # None until this app has set the alarm once

    def poll(self):
        """Handles the newest reading if it is new; an ApiError or OSError means the gateway could not be read."""
        readings = call("GET", self.readings_path)
        if not isinstance(readings, list) or not readings or readings[0].get("ts") == self.last_ts:
            return
        reading = readings[0]
        self.last_ts = reading.get("ts")
        values = reading.get("values") or {}
        # Only the fields the reading has: the model's contract fills in a missing current itself.
        request = {f: values[f] for f in FEATURES if f in values}
        try:
            answer = call("POST", "/api/v1/models/anomaly/predict", request) or {}
        except (ApiError, OSError) as e:
            print(f"{self.last_ts} {self.machine}: no prediction, reading skipped: {e}", file=sys.stderr, flush=True)
            return
        label = answer.get("label", "")
        score = answer.get("score")
        anomaly = label == "anomaly"
        if not self.quiet and self.alarm_on != anomaly:
            self.set_alarm(anomaly)
        print(f"{self.last_ts} {self.machine} {json.dumps(request)} -> {label}"
              + ("" if score is None else f" (score {score})") + f", alarm {'on' if self.alarm_on else 'off'}", flush=True)
        try:
            call("POST", self.outputs_path, {"reading": reading, "label": label, "score": score, "alarm": self.alarm_on is True})
        except (ApiError, OSError) as e:
            print(f"{self.last_ts} {self.machine}: output not recorded: {e}", file=sys.stderr, flush=True)

    def set_alarm(self, on):
        try:
            sent = call("POST", self.commands_path, {"command": "set", "params": {"on": on}}) or {}
        except (ApiError, OSError) as e:
            print(f"alarm {self.alarm} not set {'on' if on else 'off'}, will try again: {e}", file=sys.stderr, flush=True)
            return
        self.alarm_on = on
        print(f"alarm {self.alarm} set {'on' if on else 'off'} (command {sent.get('commandId')})", flush=True)


def main():
    if not isinstance(PARAMS, dict):
        sys.exit(f"LATTICE_PARAMS: expected a JSON object, not {PARAMS!r}")
    quiet = PARAMS.get("quiet", False) is True
    guard = Guard(one("machine"), one("alarm"), quiet)
    print(f"machine-guard-py {INSTANCE}: watching {guard.machine}"
          + (" (quiet: the alarm is never commanded)" if quiet else f", alarm {guard.alarm}"), flush=True)
    failures = 0
    while True:
        try:
            guard.poll()
            failures = 0
            wait = POLL_SECONDS
        except Exception as e:  # noqa: BLE001 - whatever went wrong, keep running and try again
            failures += 1
            wait = min(MAX_WAIT_SECONDS, POLL_SECONDS * 2 ** failures)
            print(f"cannot read {guard.machine} (retrying in {wait:.0f} s): {e}", file=sys.stderr, flush=True)
        time.sleep(wait)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        pass

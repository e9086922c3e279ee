"""Drives the conformance session (tests/conformance/script.ts) through Debian's
python3-librouteros, an independent RouterOS API client. Run with /usr/bin/python3.

stdin: JSON {host, port, user, password, login: "plain" | "token", steps: [{id, words, capture?}]}
stdout: JSON {librouteros, steps: [{id, ok: true, rows} | {id, ok: false, trap} | ...]}
The password arrives on stdin so it never shows up in a process list.
"""
import json
import re
import sys

import librouteros
from librouteros.exceptions import LibRouterosError, MultiTrapError, TrapError
from librouteros.login import plain, token


def resolve(words, variables):
    return [re.sub(r"\{\{(\w+)\}\}", lambda m: variables.get(m.group(1), ""), w) for w in words]


def trap_json(error):
    return {"message": error.message, "category": error.category}


def main():
    config = json.load(sys.stdin)
    result = {"librouteros": getattr(librouteros, "__version__", None), "steps": []}
    try:
        api = librouteros.connect(
            config["host"],
            config["user"],
            config["password"],
            port=config["port"],
            timeout=5,
            login_method=token if config["login"] == "token" else plain,
        )
    except LibRouterosError as error:
        result["login"] = {"ok": False, "error": type(error).__name__, "message": str(error)}
        json.dump(result, sys.stdout)
        return
    result["login"] = {"ok": True}
    variables = {}
    try:
        for step in config["steps"]:
            words = resolve(step["words"], variables)
            try:
                # rawCmd uses librouteros's own reply handling (it reads until !done and keeps
                # the attributes of !re and !done), which is what is being cross-checked.
                rows = list(api.rawCmd(words[0], *words[1:]))
            except MultiTrapError as error:
                result["steps"].append(
                    {"id": step["id"], "ok": False, "traps": [trap_json(t) for t in error.traps]}
                )
                continue
            except TrapError as error:
                result["steps"].append({"id": step["id"], "ok": False, "trap": trap_json(error)})
                continue
            capture = step.get("capture")
            if capture and rows and "ret" in rows[-1]:
                variables[capture] = str(rows[-1]["ret"])
            result["steps"].append({"id": step["id"], "ok": True, "rows": rows})
    except LibRouterosError as error:
        result["error"] = {"error": type(error).__name__, "message": str(error)}
    finally:
        api.close()
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()

# The bug report's reproduction script, unchanged below this header (lines 121–162 of the
# report). Run it against `npx anchorage serve --port 8000 --workers 2` (add `--naive` to see
# the original bug): python3 examples/repro.py  (needs: pip install requests)

import requests, time, uuid, concurrent.futures

BASE = "http://localhost:8000"

# Register and get token
user = f"racetest_{uuid.uuid4().hex[:6]}"
r = requests.post(f"{BASE}/user/register", json={"username": user, "password": "TestPass123!"})
token = r.json()["data"]["token"]
headers = {"Authorization": f"Bearer {token}"}

def walker(name, data):
    return requests.post(f"{BASE}/walker/{name}", json=data, headers=headers, timeout=15).json()

def report(resp):
    return (resp.get("data") or {}).get("reports", [None])[0]

# Setup
me = report(walker("me", {"display_name_hint": user}))
original_uid = me["user"]["user_id"]
cr = report(walker("project_ops", {"action": "create", "name": "test", "template_id": "preview-template"}))
pid = cr["project"]["id"]

# Start AI chat
walker("ai_chat", {"action": "start", "project_id": pid, "message": "explain this project"})

# Fire concurrent requests while AI processes
for round in range(5):
    time.sleep(1)
    with concurrent.futures.ThreadPoolExecutor(max_workers=5) as pool:
        futures = [
            pool.submit(walker, "git_ops", {"action": "status", "project_id": pid}),
            pool.submit(walker, "me", {}),
            pool.submit(walker, "version_ops", {"action": "list", "project_id": pid}),
        ]
        concurrent.futures.wait(futures)
    
    me_now = report(walker("me", {}))
    current_uid = me_now["user"]["user_id"]
    if current_uid != original_uid:
        print(f"Round {round}: PROFILE LOST! Was {original_uid}, now {current_uid}")
    else:
        print(f"Round {round}: OK")

"""The replay engine: every local source merged in event-time order, played at a chosen speed.

```python
replay = Replay(["AWSLogs/"], speed=60.0, follow=True)
replay.subscribe(ranking.add_events, on_clock=alarms.advance_to, on_rewind=start_over)
threading.Thread(target=replay.run, daemon=True).start()
replay.set_speed(None)  # as fast as possible
print(replay.status().late_events)
replay.stop()
```
"""

from trailtui.replay.engine import DEFAULT_REORDER_WINDOW_MS, Replay
from trailtui.replay.status import MAX_SPEED, MIN_SPEED, ReplayStatus

__all__ = ["DEFAULT_REORDER_WINDOW_MS", "MAX_SPEED", "MIN_SPEED", "Replay", "ReplayStatus"]

"""Prints the scalars of a TensorBoard event file as JSON lines, read with TensorBoard's own
reader (or TensorFlow's). Exit code 3 when neither is installed (the test then skips)."""
import json
import sys

path = sys.argv[1]
try:
    from tensorboard.backend.event_processing.event_file_loader import EventFileLoader

    events = EventFileLoader(path).Load()
except ImportError:
    try:
        import tensorflow as tf

        events = tf.compat.v1.train.summary_iterator(path)
    except ImportError:
        sys.exit(3)

for event in events:
    for value in event.summary.value:
        if value.HasField("simple_value"):
            print(json.dumps({"step": event.step, "tag": value.tag, "value": value.simple_value}))
        elif value.HasField("tensor"):
            # TensorBoard's loader migrates simple_value into a scalar tensor.
            print(json.dumps({"step": event.step, "tag": value.tag, "value": value.tensor.float_val[0]}))

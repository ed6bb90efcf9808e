"""From audio to text: batched greedy CTC, long files, n-gram LMs, ONNX Runtime."""

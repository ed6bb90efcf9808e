from asrzoo.data.parallel import ChunkPool


def test_results_come_in_input_order_whatever_the_workers():
    offset = 7  # a closure: sent to the workers with dill

    def work(chunk):
        return [item * item + offset for item in chunk]

    expected = [i * i + offset for i in range(100)]
    for workers in (1, 2, 3):
        with ChunkPool(work, workers) as pool:
            results = [r for _, chunk in pool.map(range(100), 7) for r in chunk]
        assert results == expected


def test_a_stream_is_read_only_a_few_chunks_ahead():
    pulled = []

    def stream():
        for i in range(10_000):
            pulled.append(i)
            yield i

    with ChunkPool(sum, 2) as pool:
        chunks = pool.map(stream(), 10)
        first, _ = next(chunks)
        assert first == list(range(10))
        assert len(pulled) <= 2 * 2 * 10 + 10  # two chunks per worker in flight, one being cut
        chunks.close()

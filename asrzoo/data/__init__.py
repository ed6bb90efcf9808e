"""From a loader's rows to one prepared corpus for every model: audio, manifests, row
checks, preparation."""

"""Test oracle: sigmf-python (the SigMF project's own library, not ours) reads and validates each
file given: .sigmf-meta (with its data and checksum), .sigmf archives, .sigmf-collection (and every
recording it lists). Any warning (an undeclared extension, say) counts as a failure. Prints JSON
{path: "ok" | error}; exit 0."""
import json, sys, warnings

warnings.simplefilter('error')
import sigmf
from sigmf import sigmffile, validate

out = {}
for path in sys.argv[1:]:
    try:
        obj = sigmffile.fromfile(path)
        if isinstance(obj, sigmffile.SigMFCollection):
            for name in obj.get_stream_names():
                rec = obj.get_SigMFFile(stream_name=name)
                if rec is None:
                    raise ValueError(f'collection stream {name} cannot be opened')
                validate.validate(rec._metadata)
        else:
            validate.validate(obj._metadata)
            obj.validate()
            # Reads the samples: the datatype and size must agree with the data.
            n = obj.sample_count
            if n:
                obj.read_samples(start_index=0, count=min(n, 64))
        out[path] = 'ok'
    except Exception as e:  # noqa: BLE001 - the oracle reports every failure
        out[path] = f'{type(e).__name__}: {e}'
print(json.dumps({'version': sigmf.__version__, 'results': out}))

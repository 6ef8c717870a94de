#!/usr/bin/env python3
"""Asks a gan-cluster gateway for samples over gRPC (gan.v1.SamplingService) and writes a PNG grid.

    /usr/bin/python3 clients/python/sample.py --target 127.0.0.1:9090 --label 3 --count 16 --seed 42 --out threes.png

Needs grpcio, grpcio-tools and numpy (Debian: python3-grpcio python3-grpc-tools python3-numpy); the stubs
are generated from the repository's .proto files on first use (gan_stubs.py). See README.md beside it.
"""

import argparse
import json
import math
import os
import struct
import sys
import zlib

EXIT_USAGE = 2
EXIT_MISSING = 3


def parse_args(argv):
    p = argparse.ArgumentParser(description="Sample images from a gan-cluster gateway over gRPC and write a PNG grid.")
    p.add_argument("--target", default="127.0.0.1:9090", help="the gateway's gRPC address (default 127.0.0.1:9090)")
    p.add_argument("--count", type=int, default=16, help="images to ask for, 1 to 256 (default 16)")
    p.add_argument("--seed", type=int, default=0, help="z is drawn from it: same seed, same images (default 0)")
    p.add_argument("--label", default="",
                   help="conditional models: a class index (3) or name (Trouser), one for all images, or a "
                        "comma-separated list of one per image; default: the images cycle through the classes")
    p.add_argument("--truncation", type=float, default=0.0, help="redraw z components outside [-t, t]; 0: off")
    p.add_argument("--model-version", default="",
                   help="only this model version may answer (FAILED_PRECONDITION when no replica holds it)")
    p.add_argument("--out", default="samples.png", help="the PNG grid to write (default samples.png)")
    p.add_argument("--npy", help="also write the decoded images, float32 [count, 28, 28] in [-1, 1], as .npy")
    p.add_argument("--json", action="store_true", help="print a JSON summary instead of a sentence")
    p.add_argument("--list-labels", action="store_true", help="print the classes the model knows, and stop")
    p.add_argument("--token-file", help="a file holding the sampling token (default: $GAN_SAMPLING_TOKEN, if set)")
    p.add_argument("--tls-ca", help="PEM file of the CA that signed the gateway's certificate: use TLS")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for the answer (default 60)")
    p.add_argument("--proto-root", help="folder holding gan/v1/*.proto (default: the repository's)")
    return p.parse_args(argv)


def labels_of(text):
    """'3' -> ([3], []); '1,2' -> ([1, 2], []); 'Trouser' or 'Bag,Coat' -> ([], names)."""
    parts = [t.strip() for t in text.split(",") if t.strip()] if text else []
    if parts and all(t.lstrip("-").isdigit() for t in parts):
        return [int(t) for t in parts], []
    return [], parts


def decode(tensor, tensor_pb2):
    """A gan.v1.Tensor as a numpy array of its shape (little-endian float32 or uint8, C order)."""
    import numpy as np
    dtypes = {tensor_pb2.DTYPE_FLOAT32: np.dtype("<f4"), tensor_pb2.DTYPE_UINT8: np.dtype("u1")}
    if tensor.dtype not in dtypes:
        raise ValueError("unknown tensor dtype %d" % tensor.dtype)
    shape = tuple(int(d) for d in tensor.shape)
    values = np.frombuffer(tensor.data, dtype=dtypes[tensor.dtype])
    if values.size != int(np.prod(shape)):
        raise ValueError("tensor of shape %s carries %d values" % (list(shape), values.size))
    return values.reshape(shape)


def gray_levels(images):
    """Pixels in [-1, 1] as 0..255, rounded as the gateway rounds them: round((v + 1) * 127.5), clamped."""
    import numpy as np
    x = (images.astype(np.float32) + np.float32(1)) * np.float32(127.5)  # float32 arithmetic, as the gateway's
    return np.clip(np.floor(x.astype(np.float64) + 0.5), 0, 255).astype(np.uint8)


def grid(gray, scale=2, pad=2):
    """[n, h, w] gray levels tiled row by row into one image, ceil(sqrt(n)) columns (the gateway's layout)."""
    import numpy as np
    n, h, w = gray.shape
    cols = max(1, min(math.ceil(math.sqrt(n)), n))
    rows = (n + cols - 1) // cols
    out = np.zeros((pad + rows * (pad + h * scale), pad + cols * (pad + w * scale)), dtype=np.uint8)
    big = gray.repeat(scale, axis=1).repeat(scale, axis=2)
    for i in range(n):
        y0 = pad + (i // cols) * (pad + h * scale)
        x0 = pad + (i % cols) * (pad + w * scale)
        out[y0:y0 + h * scale, x0:x0 + w * scale] = big[i]
    return out


def png_bytes(gray):
    """An 8-bit grayscale PNG of a 2-D uint8 array, with zlib and struct only."""
    height, width = gray.shape

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + gray[y].tobytes() for y in range(height))  # filter type 0 on every row
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit gray, no interlace
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def channel_for(args, grpc):
    options = [("grpc.max_receive_message_length", 64 * 1024 * 1024)]
    if args.tls_ca:
        with open(args.tls_ca, "rb") as f:
            return grpc.secure_channel(args.target, grpc.ssl_channel_credentials(root_certificates=f.read()), options)
    return grpc.insecure_channel(args.target, options)


def token_of(args):
    if args.token_file:
        with open(args.token_file, encoding="utf-8") as f:
            return f.read().strip()
    return os.environ.get("GAN_SAMPLING_TOKEN", "").strip() or None


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        import grpc
        import numpy as np
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import gan_stubs
        sampling_pb2, sampling_pb2_grpc, tensor_pb2 = gan_stubs.load(args.proto_root)
    except ImportError as e:
        print("error: %s. This client needs grpcio, grpcio-tools and numpy; on Debian: "
              "sudo apt-get install python3-grpcio python3-grpc-tools python3-numpy, then run it with "
              "/usr/bin/python3" % e, file=sys.stderr)
        return EXIT_MISSING
    metadata = []
    token = token_of(args)
    if token:
        metadata.append(("authorization", "Bearer " + token))

    with channel_for(args, grpc) as channel:
        stub = sampling_pb2_grpc.SamplingServiceStub(channel)
        try:
            if args.list_labels:
                r = stub.ListLabels(sampling_pb2.ListLabelsRequest(), timeout=args.timeout, metadata=metadata)
                summary = {"classes": r.classes, "names": list(r.names), "model_version": r.model_version}
                if args.json:
                    print(json.dumps(summary))
                elif r.classes == 0:
                    print("an unconditional model (%s): it takes no labels" % r.model_version)
                else:
                    print("%d classes from model %s: %s" % (r.classes, r.model_version, ", ".join(
                        "%d=%s" % (i, n) for i, n in enumerate(r.names)) if r.names else
                        "0..%d (the trainer published no names)" % (r.classes - 1)))
                return 0
            labels, names = labels_of(args.label)
            request = sampling_pb2.SampleRequest(count=args.count, seed=args.seed, labels=labels, label_names=names,
                                                 truncation=args.truncation, model_version=args.model_version)
            # format left unset: float32, which every gateway version answers
            response = stub.Sample(request, timeout=args.timeout, metadata=metadata)
        except grpc.RpcError as e:
            print("error: %s: %s" % (e.code().name, e.details()), file=sys.stderr)
            return 1

    images = decode(response.images, tensor_pb2)  # [count, 1, 28, 28] float32 in [-1, 1]
    images = images.reshape(images.shape[0], images.shape[-2], images.shape[-1])
    with open(args.out, "wb") as f:
        f.write(png_bytes(grid(gray_levels(images))))
    if args.npy:
        np.save(args.npy, images.astype(np.float32))
    summary = {"shape": list(images.shape), "dtype": str(images.dtype), "min": float(images.min()),
               "max": float(images.max()), "labels": list(response.labels), "model_version": response.model_version,
               "png": args.out}
    if args.npy:
        summary["npy"] = args.npy
    if args.json:
        print(json.dumps(summary))
    else:
        which = ("labels " + ",".join(str(l) for l in sorted(set(response.labels)))) if response.labels else "unconditional"
        print("%d images (%s) from model %s, seed %d -> %s" % (images.shape[0], which, response.model_version,
                                                               args.seed, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())

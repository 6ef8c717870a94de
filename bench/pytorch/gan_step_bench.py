#!/usr/bin/env python3
"""One GAN training step in PyTorch, built like this project's presets, timed on the CPU.

The same generator and discriminator as the Java graphs (gan-core's Generators and Discriminators,
layers as GraphBuilder builds them), the same loss, optimiser settings, batch size and schedule as the
preset, on random data of the right shape. Prints the parameter counts (checked tensor by tensor
against the shapes our GraphBuilder creates) and the median ms per D phase, per G step and per full
step, in the layout bench/vs-pytorch reads.

    /usr/bin/python3 bench/pytorch/gan_step_bench.py --preset dcgan-mnist --threads 2 --steps 20

Needs PyTorch (Debian: apt-get install -y python3-torch). Nothing in the Maven build uses this file.
"""
import argparse
import math
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# The presets of gan-core's Presets.java that this script mirrors: networks, z, widths, loss, Adam, batch.
PRESETS = {
    "dcgan-mnist-small": dict(g="dcgan-upsample", d="dcgan-conv", z=64, latent="normal", gw=64, dw=32,
                              loss="bce", lr=2e-4, beta1=0.5, batch=64, critic_steps=1),
    "dcgan-mnist": dict(g="dcgan-upsample", d="dcgan-conv", z=100, latent="normal", gw=128, dw=64,
                        loss="bce", lr=2e-4, beta1=0.5, batch=64, critic_steps=1),
    "wgan-gp-transposed": dict(g="transposed-conv5", d="conv5-critic", z=20, latent="uniform", gw=128, dw=64,
                               loss="wgan-gp", lr=2e-4, beta1=0.9, batch=128, critic_steps=5, gp_lambda=10.0),
}
BETA2 = 0.999          # AdamSettings.DEFAULT_BETA2
ADAM_EPS = 1e-8        # DL4J's Adam.DEFAULT_ADAM_EPSILON
BN_EPS = 1e-5          # GraphBuilder.BN_EPSILON
BN_MOMENTUM = 0.1      # PyTorch's convention for GeneratorTrainer.BN_MOMENTUM = 0.9
INIT_STD = 0.02        # GraphBuilder.INIT_STD
NORM_EPS = 1e-12       # GradientPenalty.NORM_EPSILON


def same_pads(size, kernel, stride):
    """ND4J's (and TensorFlow's) "same" padding of a convolution: (before, after); the odd pixel goes after."""
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


class Conv(nn.Module):
    """GraphBuilder.conv2d: square kernel, "same" (ND4J's asymmetric padding where it is uneven) or "valid"."""

    def __init__(self, in_size, cin, cout, kernel, stride, same, bias=True):
        super().__init__()
        before, after = same_pads(in_size, kernel, stride) if same else (0, 0)
        self.pad = None if before == after else (before, after, before, after)
        self.conv = nn.Conv2d(cin, cout, kernel, stride, padding=before if before == after else 0, bias=bias)

    def forward(self, x):
        return self.conv(F.pad(x, self.pad) if self.pad else x)


class _DeconvByConv(torch.autograd.Function):
    """conv_transpose2d(x, w) written with ordinary convolution kernels: forward is a convolution's
    input gradient, backward a convolution (dx) and a convolution's weight gradient (dw). Same result
    as nn.ConvTranspose2d, but every kernel is one PyTorch runs through oneDNN on the CPU."""

    @staticmethod
    def forward(ctx, x, w, stride, padding, out_size):
        shape = (x.shape[0], w.shape[1], out_size, out_size)
        ctx.save_for_backward(x, w)
        ctx.conf = ([stride] * 2, [padding] * 2)
        return torch.ops.aten.convolution_backward(x, torch.empty(shape, dtype=x.dtype), w, None, [stride] * 2,
                                                   [padding] * 2, [1, 1], False, [0, 0], 1, [True, False, False])[0]

    @staticmethod
    def backward(ctx, gy):
        x, w = ctx.saved_tensors
        stride, padding = ctx.conf
        gw = torch.ops.aten.convolution_backward(x, gy, w, None, stride, padding, [1, 1], False, [0, 0], 1,
                                                 [False, True, False])[1] if ctx.needs_input_grad[1] else None
        gx = F.conv2d(gy, w, None, stride, padding) if ctx.needs_input_grad[0] else None
        return gx, gw, None, None, None


class Deconv(nn.Module):
    """GraphBuilder.deconv2d with "same" mode: output = input x stride, cropped as ND4J crops (extra row/column at the end).

    by_conv: compute it with _DeconvByConv instead of nn.ConvTranspose2d's own kernels (same parameters).
    """

    def __init__(self, in_size, cin, cout, kernel, stride, bias=False, by_conv=False):
        super().__init__()
        self.out = in_size * stride
        full = (in_size - 1) * stride + kernel
        # ND4J computes the padding of the convolution this transposes: input `out`, output `in_size`
        before = max(((in_size - 1) * stride + kernel - self.out) // 2, 0)
        after = full - before - self.out
        assert after >= before, (before, after)
        self.deconv = nn.ConvTranspose2d(cin, cout, kernel, stride, padding=before, bias=bias)
        self.crop = after != before
        self.by_conv = by_conv
        self.args = (stride, before, full - 2 * before)

    def forward(self, x):
        if self.by_conv:
            y = _DeconvByConv.apply(x, self.deconv.weight, *self.args)
            if self.deconv.bias is not None:
                y = y + self.deconv.bias.view(1, -1, 1, 1)
        else:
            y = self.deconv(x)
        return y[:, :, :self.out, :self.out] if self.crop else y


class Unflatten(nn.Module):
    def __init__(self, c, h, w):
        super().__init__()
        self.shape = (c, h, w)

    def forward(self, x):
        return x.reshape(x.shape[0], *self.shape)


def bn1d(n):
    return nn.BatchNorm1d(n, eps=BN_EPS, momentum=BN_MOMENTUM)


def bn2d(n):
    return nn.BatchNorm2d(n, eps=BN_EPS, momentum=BN_MOMENTUM)


def generator(arch, z, w, by_conv=False):
    if arch == "dcgan-upsample":
        # dense→7x7xW, BN, ReLU, upsample, conv5 W/2, BN, ReLU, upsample, conv5 1, tanh
        return nn.Sequential(
            nn.Linear(z, w * 49, bias=False), bn1d(w * 49), nn.ReLU(), Unflatten(w, 7, 7),
            nn.Upsample(scale_factor=2, mode="nearest"),
            Conv(14, w, w // 2, 5, 1, True), bn2d(w // 2), nn.ReLU(),
            nn.Upsample(scale_factor=2, mode="nearest"),
            Conv(28, w // 2, 1, 5, 1, True), nn.Tanh())
    if arch == "transposed-conv5":
        # dense→7x7xW (no bias), BN, LReLU 0.3, convT5 W /1, W/2 /2, W/4 /2 (BN, LReLU), convT5 1 /1, tanh
        return nn.Sequential(
            nn.Linear(z, w * 49, bias=False), bn1d(w * 49), nn.LeakyReLU(0.3), Unflatten(w, 7, 7),
            Deconv(7, w, w, 5, 1, by_conv=by_conv), bn2d(w), nn.LeakyReLU(0.3),
            Deconv(7, w, w // 2, 5, 2, by_conv=by_conv), bn2d(w // 2), nn.LeakyReLU(0.3),
            Deconv(14, w // 2, w // 4, 5, 2, by_conv=by_conv), bn2d(w // 4), nn.LeakyReLU(0.3),
            Deconv(28, w // 4, 1, 5, 1, by_conv=by_conv), nn.Tanh())
    raise ValueError(arch)


def discriminator(arch, w):
    if arch == "dcgan-conv":
        # conv5/2 W, LReLU 0.2, conv5/2 2W, LReLU 0.2, dense 1
        return nn.Sequential(
            Conv(28, 1, w, 5, 2, True), nn.LeakyReLU(0.2),
            Conv(14, w, 2 * w, 5, 2, True), nn.LeakyReLU(0.2),
            nn.Flatten(), nn.Linear(2 * w * 49, 1))
    if arch == "conv5-critic":
        # conv5 W, conv5/2 2W, conv5/2 4W (LReLU 0.3), conv7 valid 1; no batch norm
        return nn.Sequential(
            Conv(28, 1, w, 5, 1, True), nn.LeakyReLU(0.3),
            Conv(28, w, 2 * w, 5, 2, True), nn.LeakyReLU(0.3),
            Conv(14, 2 * w, 4 * w, 5, 2, True), nn.LeakyReLU(0.3),
            Conv(7, 4 * w, 1, 7, 1, False), nn.Flatten())
    raise ValueError(arch)


def java_shapes(p):
    """The trainable parameters GraphBuilder creates for the preset, in its order: (G shapes, D shapes).

    Written from Generators.java / Discriminators.java independently of the modules above: dense W is
    [in, out], conv W [k, k, in, out], deconv W [k, k, out, in], biases [out], BN gamma/beta [1, c(, 1, 1)].
    """
    z, w = p["z"], p["gw"]
    if p["g"] == "dcgan-upsample":
        g = [(z, w * 49), (1, w * 49), (1, w * 49),
             (5, 5, w, w // 2), (w // 2,), (1, w // 2, 1, 1), (1, w // 2, 1, 1),
             (5, 5, w // 2, 1), (1,)]
    else:  # transposed-conv5: deconvolutions without bias
        g = [(z, w * 49), (1, w * 49), (1, w * 49)]
        for cin, cout in ((w, w), (w, w // 2), (w // 2, w // 4)):
            g += [(5, 5, cout, cin), (1, cout, 1, 1), (1, cout, 1, 1)]
        g += [(5, 5, 1, w // 4)]
    w = p["dw"]
    if p["d"] == "dcgan-conv":
        d = [(5, 5, 1, w), (w,), (5, 5, w, 2 * w), (2 * w,), (2 * w * 49, 1), (1,)]
    else:  # conv5-critic: the 7x7 valid convolution keeps its bias (GraphBuilder.conv2d's default)
        d = [(5, 5, 1, w), (w,), (5, 5, w, 2 * w), (2 * w,), (5, 5, 2 * w, 4 * w), (4 * w,), (7, 7, 4 * w, 1), (1,)]
    return g, d


def check_counts(name, module, shapes, expected_total):
    """Compares the module's trainable tensors with GraphBuilder's, one by one; returns the total."""
    ours = [math.prod(s) for s in shapes]
    theirs = [t.numel() for t in module.parameters() if t.requires_grad]
    if ours != theirs:
        sys.exit(f"{name}: PyTorch tensor sizes {theirs} differ from GraphBuilder's {ours}")
    total = sum(theirs)
    if expected_total is not None and expected_total != total:
        sys.exit(f"{name}: PyTorch has {total} parameters, our Java network reports {expected_total}")
    return total


def check_recipe(name, p, ours):
    """Stops unless PRESETS[name] says what our Presets.java says (as OurPreset.java prints it)."""
    want = dict(preset=name, g=p["g"], d=p["d"], z=p["z"], latent=p["latent"], gw=p["gw"], dw=p["dw"], classes=0,
                loss=p["loss"], gp_lambda=p.get("gp_lambda", 0.0), g_lr=p["lr"], g_beta1=p["beta1"], g_beta2=BETA2,
                d_lr=p["lr"], d_beta1=p["beta1"], d_beta2=BETA2, batch=p["batch"], critic_steps=p["critic_steps"])
    for key, value in want.items():
        got = ours.get(key)
        same = got is not None and (math.isclose(float(got), value) if isinstance(value, (int, float)) else got == value)
        if not same:
            sys.exit(f"{name}: {key} is {value} here but {got} in our preset; update PRESETS in {__file__}")


def init_weights(module):
    """GraphBuilder's initialisation: weights N(0, 0.02), biases and BN beta 0, BN gamma 1."""
    for m in module.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.normal_(m.weight, 0.0, INIT_STD)
            if m.bias is not None:
                nn.init.zeros_(m.bias)


def padding_self_check():
    """The probes that showed ND4J's alignment: a tap at kernel (0, 0) reads x[1][1] for out[1][1] of a
    same-padded 5x5 stride-2 convolution on 28x28; a 5x5 stride-2 same deconvolution of a one-hot at
    (0, 0) gives out[0][0] = kernel[1][1]. Both values were read from ND4J M2.1 (102 and 12)."""
    with torch.no_grad():
        c = Conv(28, 1, 1, 5, 2, True, bias=False)
        c.conv.weight.zero_()
        c.conv.weight[0, 0, 0, 0] = 1
        x = (torch.arange(28).view(28, 1) * 100 + torch.arange(28).view(1, 28) + 1).float().view(1, 1, 28, 28)
        y = c(x)
        d = Deconv(7, 1, 1, 5, 2)
        d.deconv.weight.copy_((torch.arange(5).view(5, 1) * 10 + torch.arange(5).view(1, 5) + 1).float().view(1, 1, 5, 5))
        one = torch.zeros(1, 1, 7, 7)
        one[0, 0, 0, 0] = 1
        z = d(one)
    ok = tuple(y.shape) == (1, 1, 14, 14) and y[0, 0, 1, 1].item() == 102 \
        and tuple(z.shape) == (1, 1, 14, 14) and z[0, 0, 0, 0].item() == 12
    if not ok:
        sys.exit("padding self-check failed: PyTorch modules do not align with ND4J's same padding")


def deconv_by_conv_self_check():
    """_DeconvByConv gives nn.ConvTranspose2d's output and gradients (float64, small shapes)."""
    torch.manual_seed(0)
    for in_size, stride in ((7, 1), (7, 2), (14, 2)):
        native = Deconv(in_size, 3, 2, 5, stride).double()
        by_conv = Deconv(in_size, 3, 2, 5, stride, by_conv=True).double()
        by_conv.load_state_dict(native.state_dict())
        x = torch.randn(4, 3, in_size, in_size, dtype=torch.float64, requires_grad=True)
        ya, yb = native(x), by_conv(x)
        g = torch.randn_like(ya)
        ga = torch.autograd.grad((ya * g).sum(), [x, native.deconv.weight])
        gb = torch.autograd.grad((yb * g).sum(), [x, by_conv.deconv.weight])
        if not all(torch.allclose(a, b, rtol=1e-9, atol=1e-9) for a, b in zip((ya,) + ga, (yb,) + gb)):
            sys.exit(f"self-check failed: the transposed convolution by convolution kernels differs at {in_size}/{stride}")


def blas():
    """The BLAS library this process loaded (Debian's python3-torch uses whichever libblas.so.3 is selected)."""
    torch.mm(torch.ones(2, 2), torch.ones(2, 2))
    try:
        with open("/proc/self/maps") as maps:
            libs = {name for name in (line.split()[-1].rsplit("/", 1)[-1] for line in maps) if "blas" in name}
    except OSError:
        return "BLAS unknown"
    return "BLAS " + (", ".join(sorted(libs)) or "unknown")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--preset", default="dcgan-mnist", choices=sorted(PRESETS))
    ap.add_argument("--threads", type=int, default=torch.get_num_threads(), help="torch.set_num_threads")
    ap.add_argument("--steps", type=int, default=20, help="measured full steps")
    ap.add_argument("--warmup", type=int, default=3, help="unmeasured full steps first")
    ap.add_argument("--batch", type=int, default=0, help="batch size (0: the preset's)")
    ap.add_argument("--deconv", choices=("native", "conv"), default="native",
                    help="transposed convolutions: nn.ConvTranspose2d (native) or written with convolution "
                         "kernels (conv); only presets whose G has them")
    ap.add_argument("--ours", metavar="LINE",
                    help="the key=value line bench/pytorch/OurPreset.java prints for the preset: fail unless "
                         "the recipe here and the parameter counts equal ours")
    a = ap.parse_args()
    p = PRESETS[a.preset]
    batch = a.batch or p["batch"]
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    padding_self_check()
    by_conv = a.deconv == "conv"
    if by_conv:
        deconv_by_conv_self_check()

    G = generator(p["g"], p["z"], p["gw"], by_conv)
    D = discriminator(p["d"], p["dw"])
    init_weights(G)
    init_weights(D)
    ours = dict(kv.split("=", 1) for kv in a.ours.split()) if a.ours else None
    if ours:
        check_recipe(a.preset, p, ours)
    g_shapes, d_shapes = java_shapes(p)
    g_count = check_counts("G", G, g_shapes, int(ours["g_params"]) if ours else None)
    d_count = check_counts("D", D, d_shapes, int(ours["d_params"]) if ours else None)
    g_buffers = sum(b.numel() for n, b in G.named_buffers() if not n.endswith("num_batches_tracked"))
    deconv = (", transposed convolutions " + ("by convolution kernels" if by_conv else "nn.ConvTranspose2d")
              if p["g"] == "transposed-conv5" else "")
    print(f"torch {torch.__version__} ({blas()}), {torch.get_num_threads()} threads, preset {a.preset}, "
          f"batch {batch}, {p['critic_steps']} D update(s) per step, loss {p['loss']}{deconv}")
    print(f"parameters: G {g_count} (+ {g_buffers} running statistics), D {d_count}; "
          f"tensor by tensor equal to GraphBuilder's shapes"
          + ("; recipe and counts equal to our preset's" if ours else ""))

    optG = torch.optim.Adam(G.parameters(), lr=p["lr"], betas=(p["beta1"], BETA2), eps=ADAM_EPS)
    optD = torch.optim.Adam(D.parameters(), lr=p["lr"], betas=(p["beta1"], BETA2), eps=ADAM_EPS)
    G.train()
    D.train()
    real = torch.rand(batch, 1, 28, 28) * 2 - 1   # images in [-1, 1]; the values do not affect the timing
    ones = torch.ones(batch, 1)
    zeros = torch.zeros(batch, 1)

    def latent():
        return torch.randn(batch, p["z"]) if p["latent"] == "normal" else torch.rand(batch, p["z"]) * 2 - 1

    def d_update():
        with torch.no_grad():
            fake = G(latent())                     # training mode: batch statistics, running ones updated
        optD.zero_grad(set_to_none=True)
        score = D(torch.cat([real, fake]))         # one pass over concat(real, fake), as our critic step
        if p["loss"] == "bce":
            loss = F.binary_cross_entropy_with_logits(score[:batch], ones) \
                + F.binary_cross_entropy_with_logits(score[batch:], zeros)
        else:
            loss = score[batch:].mean() - score[:batch].mean()
            alpha = torch.rand(batch, 1, 1, 1)
            xhat = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
            grad, = torch.autograd.grad(D(xhat).sum(), xhat, create_graph=True)
            norm = torch.sqrt(grad.pow(2).sum(dim=(1, 2, 3)) + NORM_EPS)
            loss = loss + p["gp_lambda"] * (norm - 1).pow(2).mean()
        loss.backward()
        optD.step()

    def g_update():
        optG.zero_grad(set_to_none=True)
        score = D(G(latent()))
        loss = F.binary_cross_entropy_with_logits(score, ones) if p["loss"] == "bce" else -score.mean()
        loss.backward()                            # D's parameter gradients are computed too and discarded,
        optG.step()                                # as the usual PyTorch GAN loop does
        D.zero_grad(set_to_none=True)

    d_ms, g_ms, t_ms = [], [], []
    for k in range(a.warmup + a.steps):
        t0 = time.perf_counter()
        for _ in range(p["critic_steps"]):
            d_update()
        t1 = time.perf_counter()
        g_update()
        t2 = time.perf_counter()
        if k >= a.warmup:
            d_ms.append((t1 - t0) * 1e3)
            g_ms.append((t2 - t1) * 1e3)
            t_ms.append((t2 - t0) * 1e3)
    print(f"{a.steps} steps after {a.warmup} warm-up, median ms:")
    print(f"{'':8} {'pytorch':>12}")
    for name, ms in (("D step", d_ms), ("G step", g_ms), ("total", t_ms)):
        print(f"{name:8} {statistics.median(ms):12.1f}")
    # every measured step, for a caller that pools several runs
    print("step-ms total " + " ".join(f"{ms:.1f}" for ms in t_ms))


if __name__ == "__main__":
    main()

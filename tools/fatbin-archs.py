#!/usr/bin/env python3
"""Lists the GPU code a CUDA shared library carries: SASS (ELF cubins, one per sm_XX) and PTX.

A GPU runs a library's kernels only if it carries SASS for the GPU's architecture family or PTX the
driver can compile for it. This answers "will ND4J's libnd4jcuda.so run on an H100 (sm_90)?" without
a GPU and without cuobjdump (which this machine's CUDA install lacks). docs/cuda.md shows its output.

  python3 tools/fatbin-archs.py libnd4jcuda.so
  python3 tools/fatbin-archs.py ~/.m2/repository/org/nd4j/nd4j-cuda-11.6/1.0.0-M2.1/nd4j-cuda-11.6-1.0.0-M2.1-linux-x86_64.jar

A .jar is searched for its lib*.so members. Fatbin layout: a 16-byte header (magic 0xBA55ED50,
version, header size, payload size) followed by entries whose headers give kind (1 PTX, 2 ELF) and
the target architecture at byte 28.
"""
import collections
import struct
import sys
import zipfile

FATBIN_MAGIC = 0xBA55ED50


def section(elf, name):
    """(offset, size) of an ELF64 section by name."""
    shoff, = struct.unpack_from('<Q', elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from('<HHH', elf, 0x3A)
    strtab_off, = struct.unpack_from('<Q', elf, shoff + shstrndx * shentsize + 0x18)
    for i in range(shnum):
        h = shoff + i * shentsize
        name_off, = struct.unpack_from('<I', elf, h)
        end = elf.index(b'\0', strtab_off + name_off)
        if elf[strtab_off + name_off:end].decode() == name:
            off, size = struct.unpack_from('<QQ', elf, h + 0x18)
            return off, size
    return None


def archs(elf):
    found = section(elf, '.nv_fatbin')
    if found is None:
        return None, collections.Counter()
    off, size = found
    data = memoryview(elf)[off:off + size]
    pos, count, kinds = 0, 0, collections.Counter()
    while pos + 16 <= len(data):
        magic, _, header, payload = struct.unpack_from('<IHHQ', data, pos)
        if magic != FATBIN_MAGIC:
            pos += 8  # fatbins are 8-byte aligned
            continue
        count += 1
        entry, end = pos + header, pos + header + payload
        while entry < end:
            kind, _, entry_header, entry_size = struct.unpack_from('<HHIQ', data, entry)
            arch, = struct.unpack_from('<I', data, entry + 28)
            kinds[('PTX' if kind == 1 else 'SASS' if kind == 2 else f'kind{kind}', arch)] += 1
            entry += entry_header + entry_size
        pos = end
    return count, kinds


def report(name, elf):
    count, kinds = archs(elf)
    if count is None:
        print(f'{name}: no .nv_fatbin section (no GPU code)')
        return
    print(f'{name}: {count} fatbins')
    for (kind, arch), n in sorted(kinds.items(), key=lambda k: (k[0][1], k[0][0])):
        print(f'  {kind:4} sm_{arch}: {n} modules')
    if not any(kind == 'PTX' for kind, _ in kinds):
        newest = max(arch for _, arch in kinds)
        print(f'  no PTX: runs only on GPUs of the SASS families above (newest sm_{newest}); '
              f'a newer GPU (e.g. sm_90, H100/H200) fails with "no kernel image is available"')


def main(paths):
    for path in paths:
        if path.endswith('.jar'):
            with zipfile.ZipFile(path) as jar:
                for member in jar.namelist():
                    if member.endswith('.so'):
                        report(f'{path}!{member}', jar.read(member))
        else:
            with open(path, 'rb') as f:
                report(path, f.read())


if __name__ == '__main__':
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])

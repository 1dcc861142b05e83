#!/usr/bin/env python3
"""Self-check of partaforge against Protocol/vectors/v2.

Every valid vector is rebuilt from its .json (header, changes, signedBy, sealedFor) and
keys.json, and must come out byte for byte: header, unpacked payload and the whole file; and
partaforge's reader must read the .bin back to the .json's header and changes.
Every invalid vector is rebuilt too, from vector 002 plus partaforge's ``forge`` knobs,
to show that the knobs write exactly the fault the vector names; those of header extensions 10,
12 and 14 (152-162) must also be refused by partaforge's read_header as malformed.

    python3 Tests/Hostile/test_vectors.py        # prints 'N passed, N failed'; exit 1 on a failure
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import partaforge  # noqa: E402

VECTORS = os.path.join(HERE, "..", "..", "Protocol", "vectors", "v2")


def load(name):
    with open(os.path.join(VECTORS, name), encoding="utf-8") as f:
        return json.load(f)


KEYS = load("keys.json")


def description_of(vector, name):
    """A partaforge description from a valid vector's .json and keys.json."""
    h = vector["header"]
    signer = KEYS[vector["signedBy"]]
    desc = {
        "bundleId": h["bundleId"],
        "created": h["created"],
        "sender": h["sender"],
        "senderPartition": h["senderPartition"],
        "recipient": h["recipient"],
        "base": h["base"],
        "upper": h["upper"],
        "changes": vector["changes"],
        "keys": {"signingSeed": signer["signingSeed"], "sealingPrivate": signer["sealingPrivate"]},
        "sealTo": [{"code": KEYS["enrollmentCode"]["code"]} if who == "enrollmentCode"
                   else {"sealingKey": KEYS[who]["sealingPublic"]} for who in vector["sealedFor"]],
        "fileKey": KEYS["fileKey"],
        "ephemeralPrivate": KEYS["ephemeralPrivate"],
    }
    if h.get("seenSets"):
        desc["seenSets"] = True
    if "reads" in h:
        desc["reads"] = h["reads"]
    if "writtenFor" in h:
        desc["writtenFor"] = h["writtenFor"]
    if "newestHeld" in h:
        desc["newestHeld"] = h["newestHeld"]
    if "ownTimes" in h:
        desc["ownTimes"] = h["ownTimes"]
    if "lineageTimes" in h:
        desc["lineageTimes"] = h["lineageTimes"]
    if h.get("enrollmentProof"):
        # Computed from the code, not copied: the vector's value is what is checked.
        desc["enrollmentCode"] = KEYS["enrollmentCode"]["code"]
    if name.startswith("005-"):
        # The .json does not list extensions; the description says "type 4, 3 bytes "abc"".
        desc["extensions"] = [{"type": 4, "hex": b"abc".hex()}]
    return desc


def check_valid(name, vector, bundle):
    desc = description_of(vector, name)
    made, info = partaforge.make_bundle(desc, details=True)
    problems = []
    if info["headerHex"] != vector["headerHex"]:
        problems.append("headerHex differs:\n  made   %s\n  vector %s" % (info["headerHex"], vector["headerHex"]))
    if info["payloadHex"] != vector["payloadHex"]:
        problems.append("payloadHex differs:\n  made   %s\n  vector %s" % (info["payloadHex"], vector["payloadHex"]))
    if info["changeCount"] != vector["header"]["changeCount"]:
        problems.append("changeCount %d, vector %d" % (info["changeCount"], vector["header"]["changeCount"]))
    if made != bundle:
        first = next((i for i, (a, b) in enumerate(zip(made, bundle)) if a != b), min(len(made), len(bundle)))
        problems.append("bytes differ (made %d, vector %d bytes; first difference at %d)" % (len(made), len(bundle), first))
    # The decoded header of the vector, as partaforge reads it, matches the .json too.
    read = partaforge.read_header(bundle)
    h = vector["header"]
    for key in ("bundleId", "sender", "senderPartition", "base", "upper", "changeCount", "senderKeys", "ephemeralKey",
                "seenSets", "reads", "writtenFor", "newestHeld", "ownTimes", "lineageTimes"):
        if read.get(key) != h.get(key):
            problems.append("read %s %r, vector %r" % (key, read.get(key), h.get(key)))
    # And so are the changes, opened with the recipient's key.
    payload = partaforge.open_payload(bundle, KEYS["recipient"]["sealingPrivate"])
    if payload.hex() != vector["payloadHex"]:
        problems.append("opened payload differs from payloadHex")
    changes = partaforge.read_payload(payload)
    if len(changes) != len(vector["changes"]):
        problems.append("read %d changes, vector %d" % (len(changes), len(vector["changes"])))
    for i, (got, want) in enumerate(zip(changes, vector["changes"])):
        if comparable(got) != comparable(want):
            problems.append("change %d read as\n  %r\n  vector %r" % (i, comparable(got), comparable(want)))
    return problems


def comparable(change):
    """A change without what is informative only: stamps' "time", reals' decimal "value"."""
    def stamp(s):
        return None if s is None else (str(s["hlc"]), s["node"], int(s["counter"]))
    value = dict(change["value"])
    if value["type"] == "real":
        value.pop("value", None)
    out = {k: change[k] for k in ("table", "row", "partition", "field")}
    out.update(value=value, stamp=stamp(change["stamp"]), replaced=stamp(change.get("replaced")))
    if change.get("seen") is not None:
        out["seen"] = (dict(change["seen"]["latest"]), stamp(change["seen"].get("through")))
    return out


# Invalid vectors partaforge can write from a valid one: vector → (base vector, forge knobs, extra).
V002 = load("002-one-change.json")
V008_PROOF = load("008-enrollment-proof.json")["header"]["enrollmentProof"]


def _from_002(forge=None, **extra):
    return ("002-one-change", forge or {}, extra)


def _newest_held_hex(entries, after=""):
    """Extension 10's body written here from §4's words, not by partaforge's writer: varint count,
    then per entry str node, varint counter, u64 hlc (each HLC vector 002's created), then ``after``."""
    hlc = int(V002["header"]["created"]["hlc"])
    body = partaforge.varint(len(entries))
    for node, counter in entries:
        body += partaforge.string(node) + partaforge.varint(counter) + hlc.to_bytes(8, "big")
    return body.hex() + after


def _own_times_hex(steps, after=""):
    """Extension 12's body written here from §4's words, not by partaforge's writer: varint count,
    then per entry a varint counter step and a u64 hlc (each HLC vector 002's created), then ``after``."""
    hlc = int(V002["header"]["created"]["hlc"])
    body = partaforge.varint(len(steps))
    for step in steps:
        body += partaforge.varint(step) + hlc.to_bytes(8, "big")
    return body.hex() + after


def _lineage_times_hex(groups, after=""):
    """Extension 14's body written here from §4's words, not by partaforge's writer: varint count of
    groups, then per group str node and its times as extension 12's body holds them (varint count,
    then per entry a varint counter step and a u64 hlc, each HLC vector 002's created), then ``after``.
    ``groups``: [(node, [step, ...]), ...]."""
    hlc = int(V002["header"]["created"]["hlc"])
    body = partaforge.varint(len(groups))
    for node, steps in groups:
        body += partaforge.string(node) + partaforge.varint(len(steps))
        for step in steps:
            body += partaforge.varint(step) + hlc.to_bytes(8, "big")
    return body.hex() + after


INVALID = {
    "110-unsorted-vector-clock": _from_002({"sortClocks": False}, upper=[["s12-clerk", 1], ["hub-ruo", 2]]),
    "111-zero-counter-in-vector-clock": _from_002(base={"hub-ruo": 0}),
    "112-duplicate-node-in-vector-clock": _from_002({"sortClocks": False}, upper=[["hub-ruo", 2], ["hub-ruo", 3]]),
    "113-unknown-recipient-kind": _from_002(recipient={"kind": 3, "id": "hub-ruo"}),
    "114-huge-declared-payload": _from_002({"payloadLength": 1 << 63}),
    "117-more-changes-than-header": _from_002({"changeCount": 0}),
    "118-fewer-changes-than-header": _from_002({"changeCount": 2}),
    "105-unknown-flags": _from_002({"flags": 7}),
    # The .json says "type 1" only; the .bin's extension holds one byte, 00.
    "107-critical-extension": _from_002(extensions=[{"type": 1, "hex": "00"}]),
    "108-bytes-after-signature": _from_002({"appendHex": "00"}),
    "128-extra-header-bytes": _from_002({"appendToHeaderHex": "00"}),
    "135-no-stanzas": _from_002(sealTo=[]),
    # Written wholly by "other" (its keys in the header too), for sender s12-clerk.
    "132-signed-by-another-key": _from_002(keys={"signingSeed": KEYS["other"]["signingSeed"],
                                                 "sealingPrivate": KEYS["other"]["sealingPrivate"]}),
    "115-payload-larger-than-declared": _from_002({"payloadLength": 68}),
    "116-payload-smaller-than-declared": _from_002({"payloadLength": 70}),
    "119-bad-string-reference": _from_002({"payloadHex": "01" + V002["payloadHex"][18:]}),
    "120-invalid-utf8": _from_002(changes=[dict(V002["changes"][0], value={"type": "text", "value": {"hex": "41ff"}})]),
    "121-unknown-value-type": _from_002(changes=[dict(V002["changes"][0], value={"type": "raw", "hex": "040ad09ed182d187d191d182"})]),
    "122-unknown-field-flags": _from_002(changes=[dict(V002["changes"][0], flags=2)]),
    "123-empty-row-group": _from_002({"payloadHex": V002["payloadHex"][:54] + "00", "changeCount": 0}),
    "124-truncated-row-group": _from_002({"payloadHex": V002["payloadHex"][:-6]}),
    "125-bad-zlib-checksum": _from_002({"compressedHex": "789c030000000000"}, changes=[]),
    "126-data-after-zlib-stream": _from_002({"compressedHex": "789c03000000000100"}, changes=[]),
    "127-truncated-zlib-stream": _from_002({"truncateCompressed": 4}),
    "129-varint-too-long": _from_002({"changeCountHex": "ffffffffffffffffff7f"}),
    "134-altered-sealed-byte": _from_002({"flipSealedBit": 7}),
    "136-unknown-stanza-kind": _from_002({"stanzaKind": 3}),
    "137-short-enrollment-proof": _from_002(enrollmentProof="6eb3a0a117db0a96528118393809062e20fdf48c94440fc320504237126f05"),
    "138-sealed-shorter-than-tag": _from_002({"sealedLength": 15, "sealedHex": "00" * 15}),
    "139-too-many-stanzas": _from_002({"stanzaCount": 1025}),
    # Vector 008's proof (for s12-new) twice, in a bundle of 002's (s12-clerk).
    "140-enrollment-proof-twice": _from_002(extensions=[{"type": 2, "hex": V008_PROOF}] * 2),
    "141-sealed-under-another-header": _from_002({"flipAssociatedDataBit": 14 * 8 + 7}),
    "142-damaged-stanza": _from_002({"flipStanzaBit": [0, 7]}),
    "143-zero-ephemeral-key": _from_002({"ephemeralKey": "00" * 32}),
    # 144-148: vector 002 again. 144 has flags 04 and nothing after the stamp (no through stamp
    # bytes, although its name and .json speak of one); 145 and 148 carry no through stamp (flags 02).
    "144-through-without-seen-set": _from_002(seenSets=True, changes=[dict(V002["changes"][0], flags=4)]),
    "145-unsorted-seen-set": _from_002({"sortSeenSets": False}, changes=[dict(
        V002["changes"][0], seen={"latest": [["s12-clerk", 1], ["hub-ruo", 2]], "through": None})]),
    "146-seen-sets-extension-not-empty": _from_002(extensions=[{"type": 5, "hex": "00"}]),
    "147-reads-twice": _from_002(extensions=[{"type": 6, "hex": "01"}] * 2),
    "151-written-for-twice": _from_002(extensions=[{"type": 8, "hex": "01"}] * 2),
    # 152-155: vector 002 plus one raw extension 10 (two in 152); the .json descriptions give the entries.
    "152-newest-held-twice": _from_002(extensions=[{"type": 10, "hex": _newest_held_hex([("s12-clerk", 1)])}] * 2),
    "153-newest-held-unsorted": _from_002(extensions=[{"type": 10, "hex": _newest_held_hex([("s12-head", 2), ("s12-clerk", 1)])}]),
    "154-newest-held-zero-counter": _from_002(extensions=[{"type": 10, "hex": _newest_held_hex([("s12-clerk", 0)])}]),
    "155-newest-held-extra-byte": _from_002(extensions=[{"type": 10, "hex": _newest_held_hex([("s12-clerk", 1)], "00")}]),
    # 156-158: vector 002 plus one raw extension 12 (two in 156), entries as the .json descriptions give.
    "156-own-times-twice": _from_002(extensions=[{"type": 12, "hex": _own_times_hex([1])}] * 2),
    "157-own-times-zero-step": _from_002(extensions=[{"type": 12, "hex": _own_times_hex([1, 0])}]),
    "158-own-times-extra-byte": _from_002(extensions=[{"type": 12, "hex": _own_times_hex([1], "00")}]),
    # 159-162: vector 002 plus one raw extension 14 (two in 159), groups and steps as the .json descriptions give.
    "159-lineage-times-twice": _from_002(extensions=[{"type": 14, "hex": _lineage_times_hex([("s12-clerk", [1])])}] * 2),
    "160-lineage-times-unsorted": _from_002(extensions=[{"type": 14, "hex": _lineage_times_hex(
        [("s12-head", [1]), ("s12-clerk", [1])])}]),
    "161-lineage-times-zero-step": _from_002(extensions=[{"type": 14, "hex": _lineage_times_hex([("s12-clerk", [1, 0])])}]),
    "162-lineage-times-extra-byte": _from_002(extensions=[{"type": 14, "hex": _lineage_times_hex([("s12-clerk", [1])], "00")}]),
    "148-zero-counter-in-seen-set": _from_002(changes=[dict(V002["changes"][0], seen={"latest": {"s12-clerk": 0}})]),
    "149-seen-set-too-long": _from_002(changes=[dict(V002["changes"][0], seen={"latest": {"n%02d" % i: 1 for i in range(65)}})]),
    "150-seen-set-node-too-long": _from_002(changes=[dict(V002["changes"][0], seen={"latest": {"a" * 1025: 1}})]),
    "101-truncated-header": _from_002({"truncateTo": 34}),
    "102-bad-magic": _from_002({"patch": [[5, "58"]]}),
    "103-future-version": _from_002({"version": 3}),
    "104-flipped-sealed-bit": _from_002({"flipBit": 354 * 8 + 7}),
    "106-zero-length": _from_002({"truncateTo": 0}),
    "109-header-too-long": _from_002({"headerLength": 1048577}),
    "130-short-magic": _from_002({"truncateTo": 4}),
    "131-flipped-signature-bit": _from_002({"flipBit": 387 * 8 + 7}),
    "133-sealed-to-another-node": _from_002(sealTo=[{"sealingKey": KEYS["other"]["sealingPublic"]}]),
}


_HLC_002 = V002["header"]["created"]["hlc"]

# The same faults written by the description keys "newestHeld", "ownTimes" and "lineageTimes" (given
# in order, not sorted: a repeated counter is a step of 0) rather than raw extension bodies.
ALSO_BY_KEY = {
    "154-newest-held-zero-counter": _from_002(newestHeld=[{"hlc": _HLC_002, "node": "s12-clerk", "counter": 0}]),
    "157-own-times-zero-step": _from_002(ownTimes=[{"hlc": _HLC_002, "counter": 1}, {"hlc": _HLC_002, "counter": 1}]),
    "160-lineage-times-unsorted": _from_002(lineageTimes=[
        {"node": "s12-head", "times": [{"hlc": _HLC_002, "counter": 1}]},
        {"node": "s12-clerk", "times": [{"hlc": _HLC_002, "counter": 1}]}]),
    "161-lineage-times-zero-step": _from_002(lineageTimes=[
        {"node": "s12-clerk", "times": [{"hlc": _HLC_002, "counter": 1}, {"hlc": _HLC_002, "counter": 1}]}]),
}

# Invalid vectors whose fault partaforge's read_header detects (extensions 10, 12 and 14, §4).
REFUSED_BY_READ_HEADER = {"152-newest-held-twice", "153-newest-held-unsorted", "154-newest-held-zero-counter",
                          "155-newest-held-extra-byte", "156-own-times-twice", "157-own-times-zero-step",
                          "158-own-times-extra-byte", "159-lineage-times-twice", "160-lineage-times-unsorted",
                          "161-lineage-times-zero-step", "162-lineage-times-extra-byte"}


def rebuild(recipe, bundle, what="bytes"):
    base, forge, extra = recipe
    vector = load(base + ".json")
    desc = description_of(vector, base)
    desc.update(extra)
    desc["forge"] = forge
    made = partaforge.make_bundle(desc)
    if made == bundle:
        return []
    first = next((i for i, (a, b) in enumerate(zip(made, bundle)) if a != b), min(len(made), len(bundle)))
    return ["%s differ (made %d, vector %d bytes; first difference at %d)" % (what, len(made), len(bundle), first)]


def check_invalid(name, bundle):
    problems = rebuild(INVALID[name], bundle)
    if name in ALSO_BY_KEY:
        problems += rebuild(ALSO_BY_KEY[name], bundle, "bytes written by the description key")
    if name in REFUSED_BY_READ_HEADER:
        try:
            partaforge.read_header(bundle)
            problems.append("read_header accepts it")
        except partaforge.ForgeError as e:
            if not str(e).startswith("malformed"):
                problems.append("read_header refuses it with %r, not malformed" % str(e))
    return problems


def main():
    passed = failed = 0
    skipped = []
    names = sorted(n[:-5] for n in os.listdir(VECTORS) if n.endswith(".json") and n != "keys.json")
    for name in names:
        vector = load(name + ".json")
        with open(os.path.join(VECTORS, name + ".bin"), "rb") as f:
            bundle = f.read()
        if vector["valid"]:
            problems = check_valid(name, vector, bundle)
        elif name in INVALID:
            problems = check_invalid(name, bundle)
        else:
            skipped.append(name)
            continue
        if problems:
            failed += 1
            print("FAIL %s\n  %s" % (name, "\n  ".join(problems)))
        else:
            passed += 1
            print("ok   %s" % name)
    if skipped:
        print("(%d invalid vectors not rebuilt: their fault is not a partaforge knob: %s)" % (len(skipped), ", ".join(skipped)))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""partaforge: an independent writer of Parta format 2 bundles, for attack tests.

Written from Protocol/ (bundle-format-v2.md, replication-v1.md, sync-http-v1.md) and README.md
alone, without reading the reference implementation, so that its agreement with the vectors
means something. It writes what an enrolled but hostile node could send: any header, any
changes, any value, and a handful of framing lies (see ``forge`` in Tests/Hostile/README.md).

Needs Python 3.9+ and the ``cryptography`` package. Used as a module (``make_bundle``) or as a
command:

    python3 Tests/Hostile/partaforge.py make DESC.json -o OUT.parta
    python3 Tests/Hostile/partaforge.py header BUNDLE.parta          # the clear-text header, as JSON
    python3 Tests/Hostile/partaforge.py changes BUNDLE.parta --data DATA   # its changes, opened with DATA's key
    python3 Tests/Hostile/partaforge.py post URL BUNDLE.parta        # POST /v1/sync; prints status and Parta-Reason
    python3 Tests/Hostile/partaforge.py node-keys DATA               # a data folder's public keys, hex and base64
"""

import base64
import datetime
import hashlib
import hmac
import json
import os
import sqlite3
import struct
import sys
import zlib

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

MASK64 = (1 << 64) - 1
MAGIC = b"PARTAB\x00"
VERSION = 2
FLAGS = 0x0003
SIGNATURE_CONTEXT = b"parta-bundle-v2-signature"
NONCE = bytes(12)
NODE_KEY_INFO = b"parta bundle v2 node key"
CODE_INFO = b"parta bundle v2 enrollment code"
PROOF_INFO = b"parta enrollment proof v2"
ENROLLMENT_PROOF_EXTENSION = 2
SEEN_SETS_EXTENSION = 5        # critical, empty: field records may carry seen sets (§4, §6.2)
READS_EXTENSION = 6            # optional: the features the sender reads, one varint bit set; bit 0 = seen sets (§4)
WRITTEN_FOR_EXTENSION = 8      # optional: the features the bundle was written for, one varint bit set (§4)
NEWEST_HELD_EXTENSION = 10     # optional: per node, the newest own change the sender holds (§4)
NEWEST_HELD_MAX_ENTRIES = 1024
OWN_TIMES_EXTENSION = 12       # optional: the HLCs of the sender's own changes it overwrote since (§4)
OWN_TIMES_MAX_ENTRIES = 16384
LINEAGE_TIMES_EXTENSION = 14   # optional: per earlier id of the sender's computer, the HLCs of its changes overwritten since (§4)
LINEAGE_TIMES_MAX_GROUPS = 64
LINEAGE_TIMES_MAX_ENTRIES = 16384   # in all, over every group (§4, §9b)
HEADER_TEXT_MAX = 1024         # bytes of a header text (§2, §9b)
FLAG_REPLACED, FLAG_SEEN, FLAG_THROUGH = 0x01, 0x02, 0x04   # field flags (§6.2)
RECIPIENT_KINDS = {"node": 1, "partition": 2}
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


class ForgeError(Exception):
    """A description partaforge cannot turn into bytes."""


# --- primitives (bundle-format-v2.md §2, Protocol/README.md) --------------------------------

def u16(n):
    return struct.pack(">H", n & 0xFFFF)


def u32(n):
    return struct.pack(">I", n & 0xFFFFFFFF)


def u64(n):
    return struct.pack(">Q", n & MASK64)


def varint(n):
    """Unsigned LEB128, shortest form. ``n`` is taken modulo 2^64 unless ``huge`` is wanted."""
    if n < 0:
        raise ForgeError("varint of a negative number %d" % n)
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def to_signed64(n):
    n &= MASK64
    return n - (1 << 64) if n >= 1 << 63 else n


def zigzag(n):
    """Signed 64-bit ``n`` (taken modulo 2^64 first) as the zigzag varint."""
    s = to_signed64(n)
    return varint(((s << 1) ^ (s >> 63)) & MASK64)


def text_bytes(t):
    """A text of a description: a str (UTF-8), or {"hex": "..."} for arbitrary bytes (invalid UTF-8),
    or {"fill": "A", "length": N} for N bytes of a repeated text (cut to exactly N bytes)."""
    if isinstance(t, bytes):
        return t
    if isinstance(t, str):
        return t.encode("utf-8", "surrogatepass")
    if isinstance(t, dict):
        if "hex" in t:
            return bytes.fromhex(t["hex"])
        if "fill" in t:
            unit = text_bytes(t["fill"]) or b"A"
            n = int(t["length"])
            return (unit * (n // len(unit) + 1))[:n]
    raise ForgeError("not a text: %r" % (t,))


def string(t):
    b = text_bytes(t)
    return varint(len(b)) + b


# --- timestamps (replication-v1.md §2) -------------------------------------------------------

def hlc_of(value, default=None):
    """An HLC from a description: a decimal string or int (the u64 itself), or
    {"hlc": ...}, or {"ms": M, "logical": L}, or {"time": "2020-09-01T08:00:00.000Z[+L]"}."""
    if value is None:
        if default is None:
            raise ForgeError("missing timestamp")
        return default
    if isinstance(value, (int, str)) and not isinstance(value, bool):
        if isinstance(value, str) and not value.lstrip("-").isdigit():
            return hlc_of({"time": value})
        return int(value) & MASK64
    if isinstance(value, dict):
        if "hlc" in value:
            return int(value["hlc"]) & MASK64
        if "ms" in value:
            return ((int(value["ms"]) << 16) | int(value.get("logical", 0))) & MASK64
        if "time" in value:
            text = value["time"]
            logical = 0
            if "Z+" in text:
                text, extra = text.split("Z+")
                text += "Z"
                logical = int(extra)
            when = datetime.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
            ms = int(round(when.timestamp() * 1000))
            return ((ms << 16) | logical) & MASK64
    raise ForgeError("not a timestamp: %r" % (value,))


def now_hlc():
    import time
    return (int(time.time() * 1000) << 16) & MASK64


def hlc_time(hlc):
    ms, logical = hlc >> 16, hlc & 0xFFFF
    when = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(milliseconds=ms)
    text = when.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (ms % 1000)
    return text + ("+%d" % logical if logical else "")


# --- header pieces ---------------------------------------------------------------------------

def clock(entries, sort=True):
    """A vector clock (§5). ``entries``: {node: counter} or [[node, counter], ...] (a list keeps its
    order and repetitions, so unsorted, repeated and zero entries can be forged with sort=False)."""
    if isinstance(entries, dict):
        pairs = [(text_bytes(k), int(v)) for k, v in entries.items()]
    else:
        pairs = [(text_bytes(k), int(v)) for k, v in entries]
    if sort:
        pairs.sort(key=lambda p: p[0])
    out = bytearray(varint(len(pairs)))
    for node, counter in pairs:
        out += varint(len(node)) + node + varint(counter & MASK64)
    return bytes(out)


def newest_held(entries):
    """Extension 10's body (§4): ``varint count``, then per entry ``str node``, ``varint counter``,
    ``u64 hlc``. ``entries``: [{"hlc": any form of "created", "node": text, "counter": C}, ...], as in
    vector 013's .json (without "hlc": the entry's own "time" or "ms"/"logical"). Written in the order
    given, counters modulo 2^64, so that unsorted, repeated and zero-counter entries can be forged (an
    honest writer sorts them bytewise and has no counter 0)."""
    out = bytearray(varint(len(entries)))
    for e in entries:
        out += string(e["node"]) + varint(int(e["counter"]) & MASK64) + u64(hlc_of(e.get("hlc", e)))
    return bytes(out)


def own_times(entries):
    """Extension 12's body (§4): ``varint count``, then per entry a ``varint`` counter step and a
    ``u64 hlc``; the first step is the entry's counter, each later one the difference to the counter
    before. ``entries``: [{"hlc": any form of "created", "counter": C}, ...], as in vector 014's .json
    (without "hlc": the entry's own "time" or "ms"/"logical"). Written in the order given, never
    sorted, steps taken modulo 2^64: a repeated counter writes a step of 0, a smaller one a step that
    wraps (a 10-byte varint), counter 0 first a first step of 0 (an honest writer gives strictly
    ascending counters, each at least 1)."""
    out = bytearray(varint(len(entries)))
    previous = 0
    for e in entries:
        counter = int(e["counter"]) & MASK64
        out += varint((counter - previous) & MASK64) + u64(hlc_of(e.get("hlc", e)))
        previous = counter
    return bytes(out)


def lineage_times(groups):
    """Extension 14's body (§4): ``varint count`` (of groups), then per group ``str node`` followed
    by its times exactly as extension 12's body holds them (``own_times``: ``varint count``, then
    counter steps and ``u64 hlc``; the first step of each group is that group's first counter).
    ``groups``: [{"node": text, "times": [{"hlc": any form of "created", "counter": C}, ...]}, ...], as
    in vector 015's .json. Written in the order given, never sorted (groups and entries alike), so that
    unsorted or repeated ids, empty groups, steps of 0 and wrapping steps can be forged (an honest
    writer gives at most 64 groups in strictly ascending bytewise order of their ids, none empty, and
    16,384 entries at most in all)."""
    out = bytearray(varint(len(groups)))
    for g in groups:
        out += string(g["node"]) + own_times(g.get("times", []))
    return bytes(out)


def normalize_code(code):
    """An enrollment code as the key derivation uses it (§9a)."""
    out = code.upper().replace("-", "").replace(" ", "")
    return out.replace("O", "0").replace("I", "1").replace("L", "1")


def hkdf(ikm, salt, info):
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def enrollment_proof(code, sender, partition, signing_public, sealing_public):
    """§9a: HMAC-SHA256(HKDF(code, "", info), str(sender) ‖ str(partition) ‖ keys)."""
    key = hkdf(normalize_code(code).encode(), b"", PROOF_INFO)
    return hmac.new(key, string(sender) + string(partition) + signing_public + sealing_public, hashlib.sha256).digest()


def stanza_for_node_key(recipient_public, ephemeral_private, file_key):
    e = X25519PrivateKey.from_private_bytes(ephemeral_private)
    E = e.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    shared = e.exchange(X25519PublicKey.from_public_bytes(recipient_public))
    wrap = hkdf(shared, E + recipient_public, NODE_KEY_INFO)
    return b"\x01" + ChaCha20Poly1305(wrap).encrypt(NONCE, file_key, None)


def stanza_for_code(code, ephemeral_public, file_key):
    wrap = hkdf(normalize_code(code).encode(), ephemeral_public, CODE_INFO)
    return b"\x02" + ChaCha20Poly1305(wrap).encrypt(NONCE, file_key, None)


# --- keys ------------------------------------------------------------------------------------

def public_signing(seed):
    return Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def public_sealing(private):
    return X25519PrivateKey.from_private_bytes(private).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def key_bytes(value):
    """32 key bytes from hex (64 digits) or base64 (44 characters), or raw bytes."""
    if isinstance(value, bytes):
        data = value
    else:
        value = value.strip()
        if len(value) == 64 and all(c in "0123456789abcdefABCDEF" for c in value):
            data = bytes.fromhex(value)
        else:
            data = base64.b64decode(value, validate=True)
    if len(data) != 32:
        raise ForgeError("a key is 32 bytes, got %d" % len(data))
    return data


def read_key_file(path):
    """A private key file of a data folder: 32 raw bytes (what Parta writes, see README.md);
    hex or base64 text are accepted too."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) == 32:
        return data
    return key_bytes(data.decode("ascii"))


def data_folder_keys(data):
    """(signing seed, sealing private key) of the node whose data folder is ``data``."""
    return (read_key_file(os.path.join(data, "keys", "signing.key")),
            read_key_file(os.path.join(data, "keys", "sealing.key")))


def node_record_keys(replica, node):
    """(signing public, sealing public) of ``node`` from the ``nodes`` table of a replica
    (base64 columns ``signing_key`` and ``sealing_key``, replication-v1.md §11.1)."""
    db = sqlite3.connect("file:%s?mode=ro" % replica, uri=True)
    try:
        row = db.execute("SELECT signing_key, sealing_key FROM nodes WHERE id = ?", (node,)).fetchone()
    finally:
        db.close()
    if row is None:
        raise ForgeError("no record of node %r in %s" % (node, replica))
    return key_bytes(row[0]), key_bytes(row[1])


def replica_meta(data):
    """What a member's replica knows of itself and its hub: parta_meta (node_id, partition, hub_id,
    hub_signing_key, hub_sealing_key, counter, …) and its vector clock (parta_clock)."""
    db = sqlite3.connect("file:%s?mode=ro" % os.path.join(data, "replica.sqlite"), uri=True)
    try:
        meta = dict(db.execute("SELECT key, value FROM parta_meta").fetchall())
        meta["clock"] = {node: int(ctr) for node, ctr in db.execute("SELECT node, ctr FROM parta_clock").fetchall()}
    finally:
        db.close()
    return meta


def with_node_defaults(desc):
    """``desc`` with what "from": DATA (a member's data folder) implies, where not given: sender,
    senderPartition, keys, recipient (its hub), sealTo (the hub's sealing key, as the member fixed
    it at enrolment), upper (its clock, with its own counter raised to the last one this bundle
    uses), base (empty) and autoStamp (counters from the replica's next one, HLCs from now)."""
    data = desc.get("from")
    if not data:
        return desc
    meta = replica_meta(data)
    out = dict(desc)
    out.setdefault("sender", meta["node_id"])
    out.setdefault("senderPartition", meta["partition"])
    out.setdefault("keys", {"data": data})
    out.setdefault("recipient", {"kind": "node", "id": meta["hub_id"]})
    out.setdefault("sealTo", [{"sealingKey": meta["hub_sealing_key"]}])
    out.setdefault("base", {})
    out.setdefault("autoStamp", {})
    auto = dict(out["autoStamp"])
    auto.setdefault("counter", int(meta.get("counter", 0)) + 1)
    out["autoStamp"] = auto
    if "upper" not in out:
        upper = dict(meta["clock"])
        unstamped = sum(1 for c in out.get("changes", []) if "stamp" not in c)
        upper[out["sender"]] = max(upper.get(out["sender"], 0), auto["counter"] + unstamped - 1)
        out["upper"] = {k: v for k, v in upper.items() if v > 0}
    return out


def sender_keys(desc):
    """(signing seed, sealing private) from a description's ``keys``:
    {"data": DIR} | {"signingKeyFile": F, "sealingKeyFile": F} | {"signingSeed": hex, "sealingPrivate": hex}."""
    keys = desc.get("keys")
    if not keys:
        raise ForgeError("the description names no sender keys ('keys')")
    if "data" in keys:
        return data_folder_keys(keys["data"])
    if "signingKeyFile" in keys:
        return read_key_file(keys["signingKeyFile"]), read_key_file(keys["sealingKeyFile"])
    return key_bytes(keys["signingSeed"]), key_bytes(keys["sealingPrivate"])


def seal_targets(desc):
    """The stanzas' recipients, in order: [("node", public key) | ("code", code)].
    Entries of ``sealTo``: {"sealingKey": hex|base64} | {"code": C} |
    {"replica": PATH, "node": ID} (the node's record) | {"data": DIR} (that node's own key)."""
    out = []
    for t in desc.get("sealTo", []):
        if "sealingKey" in t:
            out.append(("node", key_bytes(t["sealingKey"])))
        elif "code" in t:
            out.append(("code", t["code"]))
        elif "replica" in t:
            out.append(("node", node_record_keys(t["replica"], t["node"])[1]))
        elif "data" in t:
            out.append(("node", public_sealing(data_folder_keys(t["data"])[1])))
        else:
            raise ForgeError("unknown sealTo entry %r" % (t,))
    return out


# --- payload (§6) ----------------------------------------------------------------------------

def value_bytes(v):
    """A value: {"type": "null"|"integer"|"real"|"text", ...} as in the vectors (an integer's
    "value" a decimal string or number, taken modulo 2^64; a real's "bits" win over "value"), or a
    bare JSON value (null, int, float, str), or {"type": "raw", "hex": ...} for any bytes at all
    (tag and body: unknown tags, over-long varints, a text whose length lies)."""
    if v is None:
        return b"\x00"
    if isinstance(v, bool):
        return b"\x01" + zigzag(int(v))
    if isinstance(v, int):
        return b"\x01" + zigzag(v)
    if isinstance(v, float):
        return b"\x02" + struct.pack(">d", v)
    if isinstance(v, str):
        return b"\x03" + string(v)
    kind = v.get("type")
    if kind == "null":
        return b"\x00"
    if kind == "integer":
        return b"\x01" + zigzag(int(v["value"]))
    if kind == "real":
        if "bits" in v:
            return b"\x02" + bytes.fromhex(v["bits"])
        return b"\x02" + struct.pack(">d", float(v["value"]))
    if kind == "text":
        return b"\x03" + string(v if "value" not in v else v["value"])
    if kind == "raw":
        return bytes.fromhex(v["hex"])
    raise ForgeError("unknown value %r" % (v,))


def seen_of(change):
    """A change's seen set (§6.2, replication-v1.md §5.1), or None for none: "seen" is
    {"latest": {node: counter} or [[node, counter], ...], "through": stamp or null}, as in the vectors
    ("latest" and "through" may be left out: empty, none)."""
    seen = change.get("seen")
    if seen is None:
        return None
    return {"latest": seen.get("latest") or {}, "through": seen.get("through")}


class PayloadWriter:
    """The payload encoder: one text table, two running stamp predecessors (§6.3, §6.4)."""

    def __init__(self, share_texts=True, group_rows=True, sort_seen=True):
        self.out = bytearray()
        self.texts = {}
        self.share = share_texts
        self.group = group_rows
        self.sort_seen = sort_seen
        self.prev = {"stamp": (0, 0), "replaced": (0, 0)}
        self.count = 0

    def strref(self, t):
        b = text_bytes(t)
        if self.share and b in self.texts:
            return varint(self.texts[b])
        if b not in self.texts:
            self.texts[b] = len(self.texts) + 1   # only the first definition is ever referred to
        return b"\x00" + string(b)

    def stamp(self, s, kind):
        hlc = hlc_of(s.get("hlc") if "hlc" in s else s)
        counter = int(s["counter"])
        ph, pc = self.prev[kind]
        self.prev[kind] = (hlc, counter)
        return zigzag(hlc - ph) + self.strref(s["node"]) + zigzag(counter - pc)

    def seen_set(self, seen):
        """seen_count, seen_entries (strref node, varint counter; sorted bytewise unless sort_seen is
        false, so unsorted, repeated and zero entries can be forged from a list), then the through
        stamp, of the replaced kind (§6.3)."""
        latest = seen["latest"]
        pairs = list(latest.items()) if isinstance(latest, dict) else [tuple(p) for p in latest]
        if self.sort_seen:
            pairs.sort(key=lambda p: text_bytes(p[0]))
        out = bytearray(varint(len(pairs)))
        for node, counter in pairs:
            out += self.strref(node) + varint(int(counter) & MASK64)
        if seen["through"]:
            out += self.stamp(seen["through"], "replaced")
        return bytes(out)

    def write(self, changes):
        """Row groups for ``changes`` (vector form). A change may say "newGroup": true to start a
        group even for the same row; groups of one change each with group_rows=False."""
        i = 0
        while i < len(changes):
            first = changes[i]
            key = (text_bytes(first["table"]), text_bytes(first["row"]), text_bytes(first["partition"]))
            j = i + 1
            if self.group:
                while j < len(changes) and not changes[j].get("newGroup") and \
                        (text_bytes(changes[j]["table"]), text_bytes(changes[j]["row"]),
                         text_bytes(changes[j]["partition"])) == key:
                    j += 1
            group = changes[i:j]
            self.out += self.strref(first["table"]) + string(first["row"]) + self.strref(first["partition"])
            self.out += varint(first.get("fieldCount", len(group)))
            for c in group:
                replaced = c.get("replaced")
                seen = seen_of(c)
                flags = (FLAG_REPLACED if replaced else 0) | (FLAG_SEEN if seen else 0) | \
                    (FLAG_THROUGH if seen and seen["through"] else 0)
                flags = c.get("flags", flags)
                self.out += self.strref(c["field"]) + bytes([flags]) + value_bytes(c["value"])
                self.out += self.stamp(c["stamp"], "stamp")
                if replaced:
                    self.out += self.stamp(replaced, "replaced")
                if seen:
                    self.out += self.seen_set(seen)
                self.count += 1
            i = j
        return bytes(self.out)


def fill_stamps(desc):
    """The description's changes, each without a "stamp" given one from "autoStamp":
    {"node": N (default the sender), "counter": first counter, "hlc": first HLC (default "created",
    or now)}; counter and HLC go up by one per change, as an honest node's ticks would."""
    auto = desc.get("autoStamp")
    changes = desc.get("changes", [])
    if auto is None:
        return changes
    node = auto.get("node", desc.get("sender"))
    counter = int(auto["counter"])
    hlc = hlc_of(auto.get("hlc", desc.get("created")), now_hlc())
    out = []
    for c in changes:
        if "stamp" not in c:
            c = dict(c, stamp={"hlc": str(hlc), "node": node, "counter": counter})
            counter += 1
            hlc = (hlc + 1) & MASK64
        out.append(c)
    return out


def payload_bytes(changes, share_texts=True, group_rows=True, sort_seen=True):
    w = PayloadWriter(share_texts, group_rows, sort_seen)
    return w.write(changes), w.count


# --- the bundle (§3, §4, §7a, §8) ------------------------------------------------------------

def make_bundle(desc, details=False):
    """The bytes of the bundle ``desc`` describes (see Tests/Hostile/README.md for every key).
    With ``details``, also a dict holding headerHex, payloadHex, checksum and the parts."""
    desc = with_node_defaults(desc)
    forge = desc.get("forge", {})
    signing_seed, sealing_private = sender_keys(desc)
    signing_public = key_bytes(forge["senderSigningKey"]) if "senderSigningKey" in forge else public_signing(signing_seed)
    sealing_public = key_bytes(forge["senderSealingKey"]) if "senderSealingKey" in forge else public_sealing(sealing_private)

    # Payload first: the header carries its change count.
    changes = fill_stamps(desc)
    if "payloadHex" in forge:
        payload, count = bytes.fromhex(forge["payloadHex"]), len(changes)
    else:
        payload, count = payload_bytes(changes, forge.get("shareTexts", True), forge.get("groupRows", True),
                                       forge.get("sortSeenSets", True))
    payload += bytes.fromhex(forge.get("appendToPayloadHex", ""))
    change_count = int(desc.get("changeCount", forge.get("changeCount", count)))

    file_key = key_bytes(desc["fileKey"]) if "fileKey" in desc else os.urandom(32)
    ephemeral_private = key_bytes(desc["ephemeralPrivate"]) if "ephemeralPrivate" in desc else os.urandom(32)
    ephemeral_public = public_sealing(ephemeral_private)
    if "ephemeralKey" in forge:
        ephemeral_public = key_bytes(forge["ephemeralKey"])

    stanzas = bytearray()
    targets = seal_targets(desc)
    for kind, target in targets:
        if kind == "node":
            stanza = bytearray(stanza_for_node_key(target, ephemeral_private, file_key))
        else:
            stanza = bytearray(stanza_for_code(target, ephemeral_public, file_key))
        if "stanzaKind" in forge:
            stanza[0] = forge["stanzaKind"]
        stanzas += stanza
    if "flipStanzaBit" in forge:   # [stanza index, bit index within its 48 wrapped bytes]
        i, bit = forge["flipStanzaBit"]
        stanzas[49 * i + 1 + bit // 8] ^= 0x80 >> (bit % 8)
    stanzas += bytes.fromhex(forge.get("extraStanzasHex", ""))
    stanza_count = forge.get("stanzaCount", len(stanzas) // 49)

    sender, partition = desc["sender"], desc["senderPartition"]
    extensions = []
    if desc.get("enrollmentProof"):
        extensions.append((ENROLLMENT_PROOF_EXTENSION, bytes.fromhex(desc["enrollmentProof"])))
    elif desc.get("enrollmentCode"):
        extensions.append((ENROLLMENT_PROOF_EXTENSION,
                           enrollment_proof(desc["enrollmentCode"], sender, partition, signing_public, sealing_public)))
    if desc.get("seenSets", any(seen_of(c) for c in changes)):
        extensions.append((SEEN_SETS_EXTENSION, b""))
    if desc.get("reads") is not None:
        extensions.append((READS_EXTENSION, varint(int(desc["reads"]))))
    if desc.get("writtenFor") is not None:
        extensions.append((WRITTEN_FOR_EXTENSION, varint(int(desc["writtenFor"]))))
    if desc.get("newestHeld") is not None:   # [] writes a count of 0 (a writer would leave it out)
        extensions.append((NEWEST_HELD_EXTENSION, newest_held(desc["newestHeld"])))
    if desc.get("ownTimes") is not None:     # likewise: [] writes a count of 0
        extensions.append((OWN_TIMES_EXTENSION, own_times(desc["ownTimes"])))
    if desc.get("lineageTimes") is not None:  # likewise: [] writes a count of 0 groups
        extensions.append((LINEAGE_TIMES_EXTENSION, lineage_times(desc["lineageTimes"])))
    for ext in desc.get("extensions", []):
        extensions.append((int(ext["type"]), bytes.fromhex(ext.get("hex", ""))))
    if forge.get("sortExtensions", True):   # ascending type (§4); a stable sort keeps repeated ones in order
        extensions.sort(key=lambda e: e[0])

    recipient = desc["recipient"]
    kind = recipient.get("kind", "node")
    kind = RECIPIENT_KINDS[kind] if isinstance(kind, str) else int(kind)
    bundle_id = bytes.fromhex(desc["bundleId"]) if "bundleId" in desc else os.urandom(16)
    created = hlc_of(desc.get("created"), now_hlc())
    sort_clocks = forge.get("sortClocks", True)

    header = bytearray()
    header += bundle_id + u64(created) + string(sender) + string(partition)
    header += bytes([kind]) + string(recipient["id"])
    header += clock(desc.get("base", {}), sort_clocks) + clock(desc.get("upper", {}), sort_clocks)
    header += bytes.fromhex(forge["changeCountHex"]) if "changeCountHex" in forge else varint(change_count)
    header += signing_public + sealing_public + ephemeral_public
    header += varint(stanza_count) + stanzas
    header += varint(len(extensions))
    for t, body in extensions:
        header += varint(t) + varint(len(body)) + body
    header += bytes.fromhex(forge.get("appendToHeaderHex", ""))
    header = bytes(header)

    compressed = zlib.compress(payload, forge.get("zlibLevel", 6))
    if "compressedHex" in forge:
        compressed = bytes.fromhex(forge["compressedHex"])
    if forge.get("truncateCompressed"):
        compressed = compressed[:-int(forge["truncateCompressed"])]
    payload_length = int(forge.get("payloadLength", len(payload)))

    magic = bytes.fromhex(forge["magicHex"]) if "magicHex" in forge else MAGIC
    head = bytearray(magic) + bytes([forge.get("version", VERSION)]) + u16(forge.get("flags", FLAGS))
    head += u32(forge.get("headerLength", len(header))) + header
    sealed_length = len(compressed) + 16
    head += u64(payload_length) + u64(forge.get("sealedLength", sealed_length))
    associated = bytearray(head)
    if "flipAssociatedDataBit" in forge:   # seal as if these bytes differed (a bit index into bytes 0 ..< 30 + H)
        bit = forge["flipAssociatedDataBit"]
        associated[bit // 8] ^= 0x80 >> (bit % 8)
    sealed = bytearray(ChaCha20Poly1305(file_key).encrypt(NONCE, compressed, bytes(associated)))
    if "flipSealedBit" in forge:
        bit = forge["flipSealedBit"]
        sealed[bit // 8] ^= 0x80 >> (bit % 8)
    if "cutSealedTo" in forge:
        sealed = sealed[:int(forge["cutSealedTo"])]
    if "sealedHex" in forge:   # the sealed bytes themselves, whatever they are
        sealed = bytearray.fromhex(forge["sealedHex"])
    sealed = bytes(sealed)
    body = bytearray(bytes(head) + sealed)
    for offset, hexbytes in forge.get("patchBeforeChecksum", []):   # sealed as honest, then changed, then checksummed and signed
        body[offset:offset + len(bytes.fromhex(hexbytes))] = bytes.fromhex(hexbytes)
    body = bytes(body)
    checksum = hashlib.sha256(body).digest()
    if "checksumHex" in forge:
        checksum = bytes.fromhex(forge["checksumHex"])
    signer = Ed25519PrivateKey.from_private_bytes(key_bytes(forge["signWithSeed"]) if "signWithSeed" in forge else signing_seed)
    signature = signer.sign(SIGNATURE_CONTEXT + checksum)
    out = bytearray(body + checksum + signature + bytes.fromhex(forge.get("appendHex", "")))
    if "flipBit" in forge:   # after checksum and signature: damage in transit
        bit = forge["flipBit"]
        out[bit // 8] ^= 0x80 >> (bit % 8)
    for offset, hexbytes in forge.get("patch", []):   # after checksum and signature
        out[offset:offset + len(bytes.fromhex(hexbytes))] = bytes.fromhex(hexbytes)
    if "truncateTo" in forge:
        out = out[:int(forge["truncateTo"])]
    out = bytes(out)
    if details:
        return out, {"headerHex": header.hex(), "payloadHex": payload.hex(), "checksum": checksum.hex(),
                     "signature": signature.hex(), "compressedLength": len(compressed), "payloadLength": len(payload),
                     "changeCount": change_count}
    return out


# --- reading bundles: the clear-text header, and the payload with a known key --------------

class _Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, n):
        if self.pos + n > len(self.data):
            raise ForgeError("truncated")
        b = self.data[self.pos:self.pos + n]
        self.pos += n
        return b

    def varint(self):
        n = shift = 0
        while True:
            b = self.take(1)[0]
            n |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return n

    def str(self):
        return self.take(self.varint()).decode("utf-8", "replace")

    def clock(self):
        return {self.str(): self.varint() for _ in range(self.varint())}


def _strict_varint(r, what):
    """A varint of at most 10 bytes whose value fits in 64 bits (§2); else ForgeError (malformed)."""
    n = 0
    for i in range(10):
        b = r.take(1)[0]
        if i == 9 and b > 0x01:
            raise ForgeError("malformed: %s: a varint over 64 bits" % what)
        n |= (b & 0x7F) << (7 * i)
        if not b & 0x80:
            return n
    raise ForgeError("malformed: %s: a varint over 10 bytes" % what)


def read_newest_held(body):
    """Extension 10's body (§4) as [{"hlc", "time", "node", "counter"}] (vector 013's form).
    ForgeError ("malformed: ...") for what §4 calls malformed: more than 1024 entries, a node id over
    1024 bytes (or not UTF-8, §2), nodes not in strictly ascending bytewise order (so none twice), a
    counter of 0, or a body that does not end exactly after its last entry (short or long)."""
    r = _Reader(body)
    try:
        count = _strict_varint(r, "newest held count")
        if count > NEWEST_HELD_MAX_ENTRIES:
            raise ForgeError("malformed: newest held lists %d entries, more than %d" % (count, NEWEST_HELD_MAX_ENTRIES))
        entries, previous = [], None
        for _ in range(count):
            length = _strict_varint(r, "newest held node length")
            if length > HEADER_TEXT_MAX:
                raise ForgeError("malformed: newest held node id of %d bytes, more than %d" % (length, HEADER_TEXT_MAX))
            node = r.take(length)
            try:
                text = node.decode("utf-8")
            except UnicodeDecodeError:
                raise ForgeError("malformed: newest held node id %s is not UTF-8" % node.hex())
            if previous is not None and node <= previous:
                raise ForgeError("malformed: newest held names %r %s %r" % (
                    text, "twice, after" if node == previous else "before", previous.decode("utf-8")))
            counter = _strict_varint(r, "newest held counter")
            if counter == 0:
                raise ForgeError("malformed: newest held gives %r counter 0" % text)
            (hlc,) = struct.unpack(">Q", r.take(8))
            entries.append({"hlc": str(hlc), "time": hlc_time(hlc), "node": text, "counter": counter})
            previous = node
    except ForgeError as e:
        if str(e) == "truncated":   # inside the extension's own length: the body ends before its last entry
            raise ForgeError("malformed: newest held's body ends before its last entry does")
        raise
    if r.pos != len(body):
        raise ForgeError("malformed: %d byte(s) after newest held's last entry" % (len(body) - r.pos))
    return entries


def _read_times(r, what, limit, limit_text):
    """One list of times as extension 12's body holds them (§4), read from ``r``: ``varint count``,
    then ``count`` entries, each a ``varint`` counter step and a ``u64 hlc``; the first step is the
    first counter, each later one the difference to the counter before. Returns
    [{"hlc", "time", "counter"}] (the counters themselves). ForgeError ("malformed: ...") for a count
    above ``limit`` (``limit_text`` says which limit), a step of 0 (the first one included: counter 0),
    a step over 64 bits (§2) and counters passing 2^64 - 1 (steps do not wrap); "truncated" where the
    bytes end inside an entry (the callers turn it into malformed)."""
    count = _strict_varint(r, what + " count")
    if count > limit:
        raise ForgeError("malformed: %s lists %d entries, more than %s" % (what, count, limit_text))
    entries, counter = [], 0
    for i in range(count):
        step = _strict_varint(r, what + " step")
        if step == 0:
            raise ForgeError("malformed: %s entry %d has a step of 0%s" % (
                what, i + 1, " (counter 0)" if i == 0 else " (counter %d again)" % counter))
        counter += step
        if counter > MASK64:
            raise ForgeError("malformed: %s entry %d's counter passes 2^64 - 1" % (what, i + 1))
        (hlc,) = struct.unpack(">Q", r.take(8))
        entries.append({"hlc": str(hlc), "time": hlc_time(hlc), "counter": counter})
    return entries


def read_own_times(body):
    """Extension 12's body (§4) as [{"hlc", "time", "counter"}] (vector 014's form: the counters
    themselves, the steps added up). ForgeError ("malformed: ...") for what §4 calls malformed: more
    than 16,384 entries, a step of 0 (the first one included: counter 0), counters that pass
    2^64 - 1 (steps do not wrap), or a body that does not end exactly after its last entry (short or
    long); also for a step over 64 bits (§2)."""
    r = _Reader(body)
    try:
        entries = _read_times(r, "own times", OWN_TIMES_MAX_ENTRIES, "%d" % OWN_TIMES_MAX_ENTRIES)
    except ForgeError as e:
        if str(e) == "truncated":   # inside the extension's own length: the body ends before its last entry
            raise ForgeError("malformed: own times' body ends before its last entry does")
        raise
    if r.pos != len(body):
        raise ForgeError("malformed: %d byte(s) after own times' last entry" % (len(body) - r.pos))
    return entries


def read_lineage_times(body):
    """Extension 14's body (§4) as [{"node", "times": [{"hlc", "time", "counter"}]}] (vector 015's form:
    the groups in their order, each group's counters themselves). Body: ``varint count`` of groups,
    then per group ``str node`` and its times exactly as extension 12's body holds them (the first
    step of each group is its first counter). ForgeError ("malformed: ...") for what §4 calls
    malformed: more than 64 groups, ids not in strictly ascending bytewise order (so none twice), a
    node id over 1024 bytes or not UTF-8, a step of 0, counters that pass 2^64 - 1, more than 16,384
    entries in all, or a body that does not end exactly after its last group (short or long); also
    for a varint over 64 bits (§2). A count of 0 groups, and a group of 0 entries, are accepted."""
    r = _Reader(body)
    try:
        count = _strict_varint(r, "lineage times group count")
        if count > LINEAGE_TIMES_MAX_GROUPS:
            raise ForgeError("malformed: lineage times lists %d groups, more than %d" % (count, LINEAGE_TIMES_MAX_GROUPS))
        groups, previous, total = [], None, 0
        for _ in range(count):
            length = _strict_varint(r, "lineage times node length")
            if length > HEADER_TEXT_MAX:
                raise ForgeError("malformed: lineage times node id of %d bytes, more than %d" % (length, HEADER_TEXT_MAX))
            node = r.take(length)
            try:
                text = node.decode("utf-8")
            except UnicodeDecodeError:
                raise ForgeError("malformed: lineage times node id %s is not UTF-8" % node.hex())
            if previous is not None and node <= previous:
                raise ForgeError("malformed: lineage times names %r %s %r" % (
                    text, "twice, after" if node == previous else "before", previous.decode("utf-8")))
            left = LINEAGE_TIMES_MAX_ENTRIES - total
            times = _read_times(r, "lineage times of %r" % text, left,
                                "the %d left of %d in all" % (left, LINEAGE_TIMES_MAX_ENTRIES))
            total += len(times)
            groups.append({"node": text, "times": times})
            previous = node
    except ForgeError as e:
        if str(e) == "truncated":   # inside the extension's own length: the body ends before its last group
            raise ForgeError("malformed: lineage times' body ends before its last group does")
        raise
    if r.pos != len(body):
        raise ForgeError("malformed: %d byte(s) after lineage times' last group" % (len(body) - r.pos))
    return groups


def read_header(bundle):
    """The clear-text header of ``bundle`` as a dict (no checks of checksum or signature). As in the
    vectors' .json, "seenSets": true only if extension 5 is present, "reads" (the whole varint,
    reserved bits included) only if extension 6 is present and its body is one varint (likewise
    "writtenFor", extension 8), "newestHeld" only if extension 10 is present, "ownTimes" only if
    extension 12 is and "lineageTimes" only if extension 14 is; every extension is also listed raw
    under "extensions". Extensions 10, 12 and 14 are checked as §4 says (read_newest_held,
    read_own_times, read_lineage_times), in the order they appear: a second one or a malformed body
    raises ForgeError ("malformed: ...")."""
    if bundle[:7] != MAGIC:
        raise ForgeError("not a Parta bundle")
    (h,) = struct.unpack(">I", bundle[10:14])
    r = _Reader(bundle[14:14 + h])
    out = {"version": bundle[7], "flags": struct.unpack(">H", bundle[8:10])[0]}
    out["bundleId"] = r.take(16).hex()
    created = struct.unpack(">Q", r.take(8))[0]
    out["created"] = {"hlc": str(created), "time": hlc_time(created)}
    out["sender"], out["senderPartition"] = r.str(), r.str()
    kind = r.take(1)[0]
    out["recipient"] = {"kind": {1: "node", 2: "partition"}.get(kind, kind), "id": r.str()}
    out["base"], out["upper"] = r.clock(), r.clock()
    out["changeCount"] = r.varint()
    out["senderKeys"] = {"signing": r.take(32).hex(), "sealing": r.take(32).hex()}
    out["ephemeralKey"] = r.take(32).hex()
    out["stanzas"] = [{"kind": r.take(1)[0], "wrappedKey": r.take(48).hex()} for _ in range(r.varint())]
    out["extensions"] = []
    for _ in range(r.varint()):
        t = r.varint()
        out["extensions"].append({"type": t, "hex": r.take(r.varint()).hex()})
    for ext in out["extensions"]:
        if ext["type"] == SEEN_SETS_EXTENSION:
            out["seenSets"] = True
        elif ext["type"] == NEWEST_HELD_EXTENSION:
            if "newestHeld" in out:
                raise ForgeError("malformed: header extension 10 (newest held) appears twice")
            out["newestHeld"] = read_newest_held(bytes.fromhex(ext["hex"]))
        elif ext["type"] == OWN_TIMES_EXTENSION:
            if "ownTimes" in out:
                raise ForgeError("malformed: header extension 12 (own times) appears twice")
            out["ownTimes"] = read_own_times(bytes.fromhex(ext["hex"]))
        elif ext["type"] == LINEAGE_TIMES_EXTENSION:
            if "lineageTimes" in out:
                raise ForgeError("malformed: header extension 14 (lineage times) appears twice")
            out["lineageTimes"] = read_lineage_times(bytes.fromhex(ext["hex"]))
        elif ext["type"] in (READS_EXTENSION, WRITTEN_FOR_EXTENSION):
            body = _Reader(bytes.fromhex(ext["hex"]))
            try:
                features = body.varint()
            except ForgeError:
                continue
            if body.pos == len(body.data):
                out["reads" if ext["type"] == READS_EXTENSION else "writtenFor"] = features
    payload_length, sealed_length = struct.unpack(">QQ", bundle[14 + h:30 + h])
    out["payloadLength"], out["sealedLength"] = payload_length, sealed_length
    return out


def open_payload(bundle, sealing_private=None, code=None):
    """The unpacked payload of ``bundle``, opened with a node's X25519 private key (stanzas of kind
    1) or an enrollment code (kind 2), §8. No checks of checksum or signature: for bundles a test
    already trusts, such as the hub's answers and the vectors."""
    header = read_header(bundle)
    (h,) = struct.unpack(">I", bundle[10:14])
    E = bytes.fromhex(header["ephemeralKey"])
    wraps = []
    if sealing_private is not None:
        r = X25519PrivateKey.from_private_bytes(key_bytes(sealing_private))
        R = r.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        wraps.append((1, hkdf(r.exchange(X25519PublicKey.from_public_bytes(E)), E + R, NODE_KEY_INFO)))
    if code is not None:
        wraps.append((2, hkdf(normalize_code(code).encode(), E, CODE_INFO)))
    file_key = None
    for stanza in header["stanzas"]:
        for kind, wrap in wraps:
            if stanza["kind"] == kind and file_key is None:
                try:
                    file_key = ChaCha20Poly1305(wrap).decrypt(NONCE, bytes.fromhex(stanza["wrappedKey"]), None)
                except InvalidTag:
                    pass
    if file_key is None:
        raise ForgeError("no stanza opens with the key given")
    sealed = bundle[30 + h:30 + h + header["sealedLength"]]
    try:
        compressed = ChaCha20Poly1305(file_key).decrypt(NONCE, sealed, bundle[:30 + h])
    except InvalidTag:
        raise ForgeError("the sealed payload does not open")
    inflater = zlib.decompressobj()
    payload = inflater.decompress(compressed, header["payloadLength"] + 1)
    if len(payload) > header["payloadLength"]:
        raise ForgeError("the payload unpacks to more than its declared %d bytes" % header["payloadLength"])
    return payload


def unzigzag(v):
    return to_signed64((v >> 1) ^ -(v & 1))


def read_payload(payload):
    """The changes of an unpacked payload (§6), in the vectors' form: table, row, partition, field,
    value, stamp, replaced and, where flags bit 1 is set, seen ({"latest": {node: counter},
    "through": stamp or null}, §6.2). Stamps are {"hlc": decimal, "node", "counter"}. Raises
    ForgeError where the bytes cannot be read; checks nothing else (order, zero counters, whether
    extension 5 allows the flags)."""
    r = _Reader(payload)
    texts = []
    prev = {"stamp": (0, 0), "replaced": (0, 0)}

    def strref():
        k = r.varint()
        if k == 0:
            texts.append(r.str())
            return texts[-1]
        if k > len(texts):
            raise ForgeError("strref %d with %d texts defined" % (k, len(texts)))
        return texts[k - 1]

    def stamp(kind):
        ph, pc = prev[kind]
        hlc = (ph + unzigzag(r.varint())) & MASK64
        node = strref()
        counter = (pc + unzigzag(r.varint())) & MASK64
        prev[kind] = (hlc, counter)
        return {"hlc": str(hlc), "node": node, "counter": counter}

    def value():
        tag = r.take(1)[0]
        if tag == 0:
            return {"type": "null"}
        if tag == 1:
            return {"type": "integer", "value": str(unzigzag(r.varint()))}
        if tag == 2:
            bits = r.take(8)
            return {"type": "real", "value": struct.unpack(">d", bits)[0], "bits": bits.hex()}
        if tag == 3:
            return {"type": "text", "value": r.str()}
        raise ForgeError("unknown value type %d" % tag)

    changes = []
    while r.pos < len(payload):
        table, row, partition = strref(), r.str(), strref()
        for _ in range(r.varint()):
            c = {"table": table, "row": row, "partition": partition, "field": strref()}
            flags = r.take(1)[0]
            if flags & ~(FLAG_REPLACED | FLAG_SEEN | FLAG_THROUGH):
                raise ForgeError("unknown field flags 0x%02x" % flags)
            c["value"] = value()
            c["stamp"] = stamp("stamp")
            c["replaced"] = stamp("replaced") if flags & FLAG_REPLACED else None
            if flags & FLAG_SEEN:
                latest = {}
                for _ in range(r.varint()):
                    node = strref()
                    latest[node] = r.varint()
                through = stamp("replaced") if flags & FLAG_THROUGH else None
                c["seen"] = {"latest": latest, "through": through}
            changes.append(c)
    return changes


def post(url, bundle, timeout=30):
    """POST ``bundle`` to ``url`` (the hub's base URL or its /v1/sync). Returns (status, Parta-Reason,
    body bytes)."""
    import urllib.error
    import urllib.request
    if not url.rstrip("/").endswith("/v1/sync"):
        url = url.rstrip("/") + "/v1/sync"
    request = urllib.request.Request(url, data=bundle, method="POST",
                                     headers={"Content-Type": "application/vnd.parta.bundle", "Accept-Language": "en"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers.get("Parta-Reason"), response.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Parta-Reason"), e.read()


def main(argv):
    import argparse
    parser = argparse.ArgumentParser(prog="partaforge", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    make = sub.add_parser("make", help="write the bundle a JSON description asks for")
    make.add_argument("description", help="JSON file, or - for standard input")
    make.add_argument("-o", "--output", help="file to write (default: standard output)")
    make.add_argument("--details", action="store_true", help="print headerHex, payloadHex, … as JSON on standard error")
    hdr = sub.add_parser("header", help="print a bundle's clear-text header as JSON")
    hdr.add_argument("bundle")
    ch = sub.add_parser("changes", help="open a bundle with a node's or a code's key and print its changes as JSON")
    ch.add_argument("bundle")
    ch.add_argument("--data", help="the receiving node's data folder (its sealing key)")
    ch.add_argument("--sealing-private", help="the receiving node's X25519 private key, hex or base64")
    ch.add_argument("--code", help="an enrollment code the bundle is sealed to")
    p = sub.add_parser("post", help="POST a bundle to a hub's /v1/sync")
    p.add_argument("url")
    p.add_argument("bundle")
    p.add_argument("--answer", help="write the answer body here")
    k = sub.add_parser("node-keys", help="a data folder's public keys")
    k.add_argument("data")
    args = parser.parse_args(argv)

    try:
        if args.command == "make":
            text = sys.stdin.read() if args.description == "-" else open(args.description, encoding="utf-8").read()
            data, info = make_bundle(json.loads(text), details=True)
            if args.details:
                sys.stderr.write(json.dumps(info, indent=2) + "\n")
            if args.output:
                with open(args.output, "wb") as f:
                    f.write(data)
            else:
                sys.stdout.buffer.write(data)
        elif args.command == "header":
            print(json.dumps(read_header(open(args.bundle, "rb").read()), indent=2, ensure_ascii=False))
        elif args.command == "changes":
            private = data_folder_keys(args.data)[1] if args.data else args.sealing_private
            payload = open_payload(open(args.bundle, "rb").read(), private, args.code)
            print(json.dumps(read_payload(payload), indent=2, ensure_ascii=False))
        elif args.command == "post":
            status, reason, body = post(args.url, open(args.bundle, "rb").read())
            if args.answer:
                with open(args.answer, "wb") as f:
                    f.write(body)
            print(json.dumps({"status": status, "reason": reason,
                              "body": body.decode("utf-8", "replace") if status != 200 else "%d bytes" % len(body)},
                             ensure_ascii=False))
        elif args.command == "node-keys":
            seed, sealing = data_folder_keys(args.data)
            pub = {"signing": public_signing(seed), "sealing": public_sealing(sealing)}
            print(json.dumps({k: {"hex": v.hex(), "base64": base64.b64encode(v).decode()} for k, v in pub.items()}, indent=2))
    except (ForgeError, KeyError, ValueError, OSError) as e:
        sys.stderr.write("partaforge: %s: %s\n" % (type(e).__name__, e))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

package io.graylight.router.telemetry;

import io.graylight.contracts.telemetry.Cohort;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last requests served (bounded, oldest forgotten first), so that {@code POST /v1/feedback}
 * can attribute a thumbs-up or -down to the release, cohort and user of the request it rates.
 *
 * <p><b>Why bytes, not objects.</b> Every call is remembered for the next {@code capacity} calls,
 * so every entry outlives the young generation. Kept as objects (a map node, the id, the user id,
 * a record) each young collection copied every entry stored since the last one and scanned the
 * map's table for them: 20–40 ms pauses every few seconds at 2,000 calls/s, which was the
 * router's p99. Here an entry is encoded into a slot of one byte array, found through an
 * open-addressing table of slot numbers: after start-up no call leaves an object behind here
 * (the encoding's scratch dies young; an entry too big for its slot is the exception, kept as
 * its own array).
 *
 * <p>Every event loop records here on every call; one lock guards it, held for a copy and a
 * few probes (the encoding happens before), so the event loops hardly ever wait on it.
 */
public final class RecentRequests {

    public record Served(String release, Cohort cohort, String version, String userId, Map<String, String> segment) {}

    /** Bytes per slot: an id, release, version, a user id and a small segment fit. */
    static final int SLOT_BYTES = 192;
    private static final Cohort[] COHORTS = Cohort.values();
    private static final ThreadLocal<Encoder> ENCODER = ThreadLocal.withInitial(Encoder::new);

    private final int capacity;
    private final byte[] slots;
    private final int[] lengths; // encoded length per slot; 0 = empty
    private final int[] hashes;
    private final byte[][] oversized; // entries longer than SLOT_BYTES (rare)
    /** Open addressing, linear probing: slot + 1 per used position, 0 = free. */
    private final int[] index;
    private final int indexMask;
    private long next;
    private int size;

    public RecentRequests(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.slots = new byte[Math.multiplyExact(capacity, SLOT_BYTES)];
        this.lengths = new int[capacity];
        this.hashes = new int[capacity];
        this.oversized = new byte[capacity][];
        // at most half full, so probes stay short
        int indexSize = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1;
        this.index = new int[indexSize];
        this.indexMask = indexSize - 1;
    }

    /** Remembers the call {@code requestId} served, forgetting the oldest one when full. */
    public void put(String requestId, Served served) {
        Encoder encoder = ENCODER.get();
        int length = encoder.encode(requestId, served);
        int hash = mix(requestId.hashCode());
        synchronized (this) {
            int slot = (int) (next++ % capacity);
            if (lengths[slot] != 0) {
                unindex(slot);
            }
            int existing = find(hash, encoder.bytes, 2, encoder.idLength);
            if (existing >= 0) {
                unindex(existing); // the same id again: the newer entry wins
            }
            hashes[slot] = hash;
            lengths[slot] = length;
            if (length <= SLOT_BYTES) {
                System.arraycopy(encoder.bytes, 0, slots, slot * SLOT_BYTES, length);
                oversized[slot] = null;
            } else {
                oversized[slot] = Arrays.copyOf(encoder.bytes, length);
            }
            size++;
            int position = hash & indexMask;
            while (index[position] != 0) {
                position = (position + 1) & indexMask;
            }
            index[position] = slot + 1;
        }
    }

    /** The call {@code requestId} served, or null when unknown or forgotten. */
    public Served get(String requestId) {
        byte[] id = requestId.getBytes(StandardCharsets.UTF_8);
        byte[] entry;
        synchronized (this) {
            int slot = find(mix(requestId.hashCode()), id, 0, id.length);
            if (slot < 0) {
                return null;
            }
            entry = oversized[slot] != null ? oversized[slot]
                    : Arrays.copyOfRange(slots, slot * SLOT_BYTES, slot * SLOT_BYTES + lengths[slot]);
        }
        return Encoder.decode(entry);
    }

    /** How many requests are remembered now. */
    public synchronized int size() {
        return size;
    }

    /** The slot holding the id {@code id[from, from + idLength)} (UTF-8), or -1. */
    private int find(int hash, byte[] id, int from, int idLength) {
        for (int position = hash & indexMask; index[position] != 0; position = (position + 1) & indexMask) {
            int slot = index[position] - 1;
            if (hashes[slot] == hash && idEquals(slot, id, from, idLength)) {
                return slot;
            }
        }
        return -1;
    }

    private boolean idEquals(int slot, byte[] id, int from, int idLength) {
        byte[] entry = oversized[slot] != null ? oversized[slot] : slots;
        int offset = oversized[slot] != null ? 0 : slot * SLOT_BYTES;
        int storedLength = Encoder.readShort(entry, offset);
        return storedLength == idLength && Arrays.equals(entry, offset + 2, offset + 2 + idLength, id, from, from + idLength);
    }

    /** Takes the slot out of the index, shifting later entries of its probe run back (no tombstones). */
    private void unindex(int slot) {
        int position = hashes[slot] & indexMask;
        while (index[position] != slot + 1) {
            position = (position + 1) & indexMask;
        }
        int free = position;
        for (int probe = (free + 1) & indexMask; index[probe] != 0; probe = (probe + 1) & indexMask) {
            int home = hashes[index[probe] - 1] & indexMask;
            // move the entry at `probe` into the hole unless its home lies cyclically in (free, probe]
            boolean stays = free <= probe ? free < home && home <= probe : free < home || home <= probe;
            if (!stays) {
                index[free] = index[probe];
                free = probe;
            }
        }
        index[free] = 0;
        clear(slot);
    }

    private void clear(int slot) {
        if (lengths[slot] != 0) {
            lengths[slot] = 0;
            oversized[slot] = null;
            size--;
        }
    }

    private static int mix(int hash) {
        return hash ^ (hash >>> 16) ^ (hash >>> 7);
    }

    /**
     * An entry as bytes: the id, the cohort, then release, version, user id and the segment's
     * keys and values, each string as a 2-byte length and UTF-8. One per thread, reused.
     */
    private static final class Encoder {
        byte[] bytes = new byte[SLOT_BYTES];
        int idLength; // the id's UTF-8 bytes are bytes[2, 2 + idLength)
        private int length;

        int encode(String requestId, Served served) {
            length = 0;
            writeString(requestId);
            idLength = length - 2;
            ensure(1);
            bytes[length++] = (byte) served.cohort().ordinal();
            writeString(served.release());
            writeString(served.version());
            writeString(served.userId());
            Map<String, String> segment = served.segment() == null ? Map.of() : served.segment();
            ensure(1);
            bytes[length++] = (byte) Math.min(segment.size(), 255);
            int written = 0;
            for (Map.Entry<String, String> e : segment.entrySet()) {
                if (written++ == 255) {
                    break;
                }
                writeString(e.getKey());
                writeString(e.getValue());
            }
            return length;
        }

        private void writeString(String value) {
            byte[] utf8 = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
            int n = utf8 == null ? 0xFFFF : Math.min(utf8.length, 0xFFFE);
            ensure(2 + (utf8 == null ? 0 : n));
            bytes[length++] = (byte) (n >>> 8);
            bytes[length++] = (byte) n;
            if (utf8 != null) {
                System.arraycopy(utf8, 0, bytes, length, n);
                length += n;
            }
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }

        static int readShort(byte[] b, int at) {
            return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
        }

        static Served decode(byte[] b) {
            int[] at = {0};
            readString(b, at); // the id
            Cohort cohort = COHORTS[b[at[0]++]];
            String release = readString(b, at);
            String version = readString(b, at);
            String user = readString(b, at);
            int pairs = b[at[0]++] & 0xff;
            Map<String, String> segment = pairs == 0 ? Map.of() : new LinkedHashMap<>();
            for (int i = 0; i < pairs; i++) {
                segment.put(readString(b, at), readString(b, at));
            }
            return new Served(release, cohort, version, user, pairs == 0 ? segment : Collections.unmodifiableMap(segment));
        }

        private static String readString(byte[] b, int[] at) {
            int n = readShort(b, at[0]);
            at[0] += 2;
            if (n == 0xFFFF) {
                return null;
            }
            String s = new String(b, at[0], n, StandardCharsets.UTF_8);
            at[0] += n;
            return s;
        }
    }
}

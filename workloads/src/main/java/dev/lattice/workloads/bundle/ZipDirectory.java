package dev.lattice.workloads.bundle;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Counts a zip's central directory records before commons-compress opens it: its {@code ZipFile}
 * reads every record into memory up front, so a zip of 200,000 empty entries took a 128 MB service
 * to the edge of an OutOfMemoryError (a 500) before the first entry could be refused. Here at most
 * {@code max + 1} records are walked, nothing kept but the name of the one too many.
 *
 * <p>Where the directory starts is read the way commons-compress reads it (the end record, or the
 * zip64 one it points to): from the offset recorded there, or, for an archive with bytes prepended,
 * that many bytes before the end record. Both places are walked and the longer run counts, so a
 * zip cannot show this check a short directory and {@code ZipFile} a long one. What cannot be
 * parsed here is left to {@code ZipFile}, which refuses it as corrupt.
 */
final class ZipDirectory {
    private static final int EOCD_SIG = 0x06054b50;
    private static final int ZIP64_LOCATOR_SIG = 0x07064b50;
    private static final int ZIP64_EOCD_SIG = 0x06064b50;
    private static final int CFH_SIG = 0x02014b50;
    private static final int EOCD_MIN = 22;
    private static final int CFH_FIXED = 46;

    private ZipDirectory() {}

    /** @return the name of entry {@code max + 1} when the directory has more than {@code max} records, else null */
    static String entryPast(Path archive, int max) throws IOException {
        try (FileChannel ch = FileChannel.open(archive)) {
            long size = ch.size();
            long eocd = findEndRecord(ch, size);
            if (eocd < 0) return null;
            ByteBuffer end = read(ch, eocd, EOCD_MIN);
            long cdSize = end.getInt(12) & 0xffffffffL;
            long cdOffset = end.getInt(16) & 0xffffffffL;
            long recordAt = eocd;
            if (eocd >= 20) {
                ByteBuffer locator = read(ch, eocd - 20, 20);
                if (locator.getInt(0) == ZIP64_LOCATOR_SIG) {
                    long z64 = locator.getLong(8);
                    if (z64 < 0 || z64 + 56 > size) return null;
                    ByteBuffer record = read(ch, z64, 56);
                    if (record.getInt(0) != ZIP64_EOCD_SIG) return null;
                    cdSize = record.getLong(40);
                    cdOffset = record.getLong(48);
                    recordAt = z64;
                }
            }
            String past = walk(ch, cdOffset, size, max);
            if (past == null && cdSize >= 0 && recordAt - cdSize != cdOffset) past = walk(ch, recordAt - cdSize, size, max);
            return past;
        }
    }

    /** The end record is within the last 64 KiB + 22 bytes (its comment is at most 64 KiB); the last one found wins. */
    private static long findEndRecord(FileChannel ch, long size) throws IOException {
        if (size < EOCD_MIN) return -1;
        long from = Math.max(0, size - EOCD_MIN - 0xffff);
        ByteBuffer tail = read(ch, from, (int) (size - from));
        for (int i = tail.limit() - EOCD_MIN; i >= 0; i--) if (tail.getInt(i) == EOCD_SIG) return from + i;
        return -1;
    }

    private static String walk(FileChannel ch, long start, long size, int max) throws IOException {
        if (start < 0 || start >= size) return null;
        InputStream in = new BufferedInputStream(Channels.newInputStream(ch.position(start)), 64 * 1024);
        DataInputStream data = new DataInputStream(in);
        byte[] fixed = new byte[CFH_FIXED];
        ByteBuffer header = ByteBuffer.wrap(fixed).order(ByteOrder.LITTLE_ENDIAN);
        try {
            for (int count = 0; ; count++) {
                data.readFully(fixed);
                if (header.getInt(0) != CFH_SIG) return null;
                int name = header.getShort(28) & 0xffff;
                int rest = (header.getShort(30) & 0xffff) + (header.getShort(32) & 0xffff);
                if (count == max) {
                    byte[] bytes = new byte[name];
                    data.readFully(bytes);
                    return new String(bytes, StandardCharsets.UTF_8);
                }
                data.skipNBytes((long) name + rest);
            }
        } catch (EOFException e) {
            return null;
        }
    }

    private static ByteBuffer read(FileChannel ch, long at, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) if (ch.read(buffer, at + buffer.position()) < 0) throw new EOFException();
        return buffer.flip();
    }
}

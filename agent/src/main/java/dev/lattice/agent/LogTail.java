package dev.lattice.agent;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The last lines of a log file, read from its end, never more than a byte budget. */
final class LogTail {
    private LogTail() {}

    static String read(Path file, int lines, int maxBytes) throws IOException {
        if (!Files.exists(file)) return "";
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long len = f.length();
            int n = (int) Math.min(len, maxBytes);
            byte[] buf = new byte[n];
            f.seek(len - n);
            f.readFully(buf);
            String text = new String(buf, StandardCharsets.UTF_8);
            if (n < len) text = text.substring(Math.min(text.length(), text.indexOf('\n') + 1)); // drop the cut line
            int end = text.endsWith("\n") ? text.length() - 1 : text.length();
            int at = end;
            for (int i = 0; i < lines && at > 0; i++) at = text.lastIndexOf('\n', at - 1);
            return text.substring(at <= 0 ? 0 : at + 1);
        }
    }
}

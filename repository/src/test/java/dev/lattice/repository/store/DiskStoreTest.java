package dev.lattice.repository.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lattice.api.repository.Sha256;
import dev.lattice.api.repository.Stored;
import dev.lattice.core.LatticeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskStoreTest {
    private static final String HELLO_SHA256 = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    @TempDir
    Path dir;

    @Test
    void storesContentUnderItsSha256() throws IOException {
        DiskStore store = new DiskStore(dir);

        Stored stored = store.put(stream("hello"), 100);

        assertThat(stored).isEqualTo(new Stored(HELLO_SHA256, 5, true));
        assertThat(dir.resolve("sha256/2c/" + HELLO_SHA256)).hasContent("hello");
        try (var artefact = store.open(HELLO_SHA256).orElseThrow()) {
            assertThat(artefact.size()).isEqualTo(5);
            assertThat(artefact.content().readAllBytes()).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(store.size(HELLO_SHA256)).hasValue(5);
        assertThat(store.exists(HELLO_SHA256)).isTrue();
    }

    @Test
    void identicalContentIsStoredOnce() throws IOException {
        DiskStore store = new DiskStore(dir);

        Stored first = store.put(stream("same bytes"), 100);
        Stored second = store.put(stream("same bytes"), 100);

        assertThat(first.created()).isTrue();
        assertThat(second.created()).isFalse();
        assertThat(second.sha256()).isEqualTo(first.sha256());
        assertThat(storedFiles()).hasSize(1);
        assertThat(incoming()).isEmpty();
    }

    @Test
    void contentAtTheLimitIsStoredAndOneByteMoreLeavesNothing() throws IOException {
        DiskStore store = new DiskStore(dir);
        byte[] big = random(1000, 1);

        assertThatThrownBy(() -> store.put(new ByteArrayInputStream(big), 999))
                .isInstanceOf(LatticeException.class).extracting("status").isEqualTo(413);
        assertThat(storedFiles()).isEmpty();
        assertThat(incoming()).isEmpty();

        assertThat(store.put(new ByteArrayInputStream(big), 1000).size()).isEqualTo(1000);
    }

    @Test
    void aStreamThatBreaksOffLeavesNothing() throws IOException {
        DiskStore store = new DiskStore(dir);
        InputStream breaking = new InputStream() {
            int sent;

            @Override
            public int read() throws IOException {
                if (sent++ >= 70_000) throw new IOException("connection reset");
                return 'x';
            }
        };

        assertThatThrownBy(() -> store.put(breaking, 1_000_000))
                .isInstanceOf(LatticeException.class)
                .hasMessageContaining("broke off")
                .extracting("status").isEqualTo(400);
        assertThat(storedFiles()).isEmpty();
        assertThat(incoming()).isEmpty();
    }

    @Test
    void concurrentPutsOfTheSameContentMakeOneFileAndOneCreator() throws Exception {
        DiskStore store = new DiskStore(dir);
        byte[] content = random(512 * 1024, 7);
        int writers = 12;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Stored>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
            for (int i = 0; i < writers; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    return store.put(new ByteArrayInputStream(content), content.length);
                }));
            }
            go.countDown();
            List<Stored> stored = new ArrayList<>();
            for (Future<Stored> f : results) stored.add(f.get());

            assertThat(stored).extracting(Stored::sha256).containsOnly(stored.get(0).sha256());
            assertThat(stored).filteredOn(Stored::created).hasSize(1);
        }
        assertThat(storedFiles()).hasSize(1);
        assertThat(Files.readAllBytes(storedFiles().get(0))).isEqualTo(content);
        assertThat(incoming()).isEmpty();
    }

    @Test
    void unfinishedUploadsOfAnEarlierRunAreRemovedAtStart() throws IOException {
        new DiskStore(dir);
        Files.writeString(dir.resolve("incoming/put-123.part"), "half an upload");

        new DiskStore(dir);

        assertThat(incoming()).isEmpty();
    }

    @Test
    void anUnknownHashIsAbsentAndAMalformedOneIsABadRequest() {
        DiskStore store = new DiskStore(dir);

        assertThat(store.open(HELLO_SHA256)).isEmpty();
        assertThat(store.size(HELLO_SHA256)).isEmpty();
        assertThatThrownBy(() -> store.open("../../etc/passwd")).isInstanceOf(LatticeException.class)
                .extracting("status").isEqualTo(400);
        assertThatThrownBy(() -> store.size(HELLO_SHA256.toUpperCase())).isInstanceOf(LatticeException.class)
                .extracting("status").isEqualTo(400);
        assertThat(Sha256.isValid(HELLO_SHA256)).isTrue();
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private List<Path> storedFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir.resolve("sha256"))) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private List<Path> incoming() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("incoming"))) {
            return files.toList();
        }
    }
}

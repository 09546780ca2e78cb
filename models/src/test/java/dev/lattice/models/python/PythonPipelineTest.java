package dev.lattice.models.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lattice.api.models.ModelSignature;
import dev.lattice.core.Json;
import dev.lattice.core.LatticeException;
import dev.lattice.models.examples.OnnxWriter;
import dev.lattice.models.onnx.ModelSignatures;
import dev.lattice.models.onnx.Onnx;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Python contract around a real ONNX session, with real Python workers: the answers, the
 * failures as API.md names them, and a pool that outlives a spent worker.
 */
class PythonPipelineTest {
    @TempDir
    Path tmp;

    private OrtSession session;
    private ContractPool pool;

    private static final String CONTRACT = """
            import math
            def preprocess(r):
                if r.get("raise"):
                    raise ValueError("line one\\nno such pump: " + r["raise"])
                if r.get("loop"):
                    while True:
                        pass
                if r.get("memory"):
                    b = bytearray(1 << 30)
                if r.get("huge"):
                    return {"x": ["a" * 5_000_000]}
                if r.get("read"):
                    return {"x": [[float(len(open(r["read"]).read())), 0.0]]}
                return {"x": [[math.log(r["a"]), r["a"] * r["b"]]]}
            def postprocess(outputs, r):
                return {"sum": float(outputs["y"][0][0])}
            """;

    private PythonPipeline pipeline(String source, int timeoutMs) throws Exception {
        Path model = tmp.resolve("sum.onnx");
        // y = x · [1, 1]ᵀ: the sum of the two features.
        Files.write(model, OnnxWriter.graph("sum").input("x", OnnxWriter.ElementType.FLOAT, OnnxWriter.BATCH, 2)
                .initializer("W", new float[] {1f, 1f}, 2, 1)
                .node("MatMul", OnnxWriter.in("x", "W"), OnnxWriter.out("y"))
                .output("y", OnnxWriter.ElementType.FLOAT, OnnxWriter.BATCH, 1).toBytes());
        session = Onnx.open(model);
        ModelSignature signature = ModelSignatures.read(session);
        pool = ContractPool.start(new PythonContract(source, timeoutMs, 64), 2, tmp.resolve("work"));
        return new PythonPipeline(session, signature, pool);
    }

    @AfterEach
    void close() throws Exception {
        if (pool != null) pool.close();
        if (session != null) session.close();
    }

    private static JsonNode json(String text) {
        return Json.read(text.getBytes(), JsonNode.class);
    }

    @Test
    void answersAsTheContractComputesOneRequestOrABatch() throws Exception {
        PythonPipeline p = pipeline(CONTRACT, 2000);
        assertThat(p.predict(json("{\"a\":2.0,\"b\":3}")).get("sum").asDouble()).isCloseTo(Math.log(2) + 6, within(1e-5));
        JsonNode batch = p.predict(json("[{\"a\":1,\"b\":1},{\"a\":4,\"b\":0.5}]"));
        assertThat(batch.get(0).get("sum").asDouble()).isCloseTo(1, within(1e-5));
        assertThat(batch.get(1).get("sum").asDouble()).isCloseTo(Math.log(4) + 2, within(1e-5));
    }

    @Test
    void failuresAreAnsweredAsTheyCameAndASpentWorkerIsReplaced() throws Exception {
        PythonPipeline p = pipeline(CONTRACT, 500);
        assertThatThrownBy(() -> p.predict(json("{\"raise\":\"p9\"}"))).isInstanceOfSatisfying(LatticeException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).isEqualTo("contract.py: ValueError: no such pump: p9");
        });
        assertThatThrownBy(() -> p.predict(json("{\"read\":\"/etc/passwd\"}"))).isInstanceOfSatisfying(LatticeException.class,
                e -> assertThat(e.getMessage()).contains("PermissionError"));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> p.predict(json("{\"loop\":true}"))).isInstanceOfSatisfying(LatticeException.class, e -> {
            assertThat(e.status()).isEqualTo(504);
            assertThat(e.getMessage()).contains("took more than 500 ms");
        });
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(3000);
        assertThatThrownBy(() -> p.predict(json("{\"memory\":true}"))).isInstanceOfSatisfying(LatticeException.class, e -> {
            assertThat(e.status()).isEqualTo(500);
            assertThat(e.getMessage()).contains("MemoryError");
        });
        assertThatThrownBy(() -> p.predict(json("{\"huge\":true}"))).isInstanceOfSatisfying(LatticeException.class,
                e -> assertThat(e.getMessage()).contains("more than " + ContractWorker.MAX_ANSWER_CHARS));
        // Every spent worker was replaced: both of the pool answer again.
        for (int i = 0; i < 6; i++) assertThat(p.predict(json("{\"a\":1,\"b\":2}")).get("sum").asDouble()).isCloseTo(2, within(1e-5));
    }

    @Test
    void aContractThatDoesNotLoadIsRefusedWithItsLastLine() {
        assertThatThrownBy(() -> pipeline("def preprocess(r)\n  pass\n", 500)).isInstanceOfSatisfying(LatticeException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.getMessage()).startsWith("contract.py: SyntaxError: ");
        });
        assertThatThrownBy(() -> pipeline("raise RuntimeError('no config for this site')\n", 500))
                .hasMessage("contract.py: RuntimeError: no config for this site");
        assertThatThrownBy(() -> pipeline("def preprocess(r):\n  return r\n", 500)).hasMessageContaining("postprocess()");
    }
}

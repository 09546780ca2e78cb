package dev.lattice.gateway.models;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.IdleConnectionEvictor;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The inference proxy's HTTP/1.1 client to model-server replicas: blocking calls on the request's
 * own (virtual) thread over pooled keep-alive connections. The JDK's {@code HttpClient} hands every
 * exchange to its selector thread and back through futures; on 2 cores those hand-offs were most
 * of the proxy's own cost (PERFORMANCE.md, issue 13). Nothing is retried, decompressed or redirected
 * here: the caller chooses another replica, and bodies pass through byte for byte. Thread-safe.
 *
 * <p>HttpClient 5's <em>minimal</em> client: the pool (with its check of idle connections) and one
 * exchange, without the full client's execution chain (redirects, retries, authentication,
 * cookies, route tracking), all of which this proxy had switched off but still walked through on
 * every call: 29 % of the gateway's CPU per proxied call (JFR, PERFORMANCE.md issue 13).
 */
final class ReplicaClient implements AutoCloseable {
    /** What came back: status, content type (may be null) and body. */
    record Answer(int status, String contentType, byte[] body) {}

    private final CloseableHttpClient http;
    private final RequestConfig config;
    private final IdleConnectionEvictor evictor;

    ReplicaClient(Timeout connect, Timeout answer) {
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(512).setMaxConnPerRoute(128)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(connect).setSocketTimeout(answer)
                        // A replica that restarted left dead connections in the pool: one idle for
                        // a second is checked before it is reused, so a call does not fail on it.
                        .setValidateAfterInactivity(TimeValue.ofSeconds(1))
                        .setTimeToLive(TimeValue.ofMinutes(5)).build())
                .build();
        this.http = HttpClients.createMinimal(pool);
        // Connections to replicas that went away are closed after 30 s idle (the full client did this itself).
        this.evictor = new IdleConnectionEvictor(pool, TimeValue.ofSeconds(30));
        evictor.start();
        this.config = RequestConfig.custom().setResponseTimeout(answer).build();
    }

    /** GET ({@code body} null) or POST of a JSON {@code body} to {@code uri}, with {@code bearer} if not null. */
    Answer send(String uri, byte[] body, String bearer) throws IOException {
        HttpUriRequestBase request = body == null ? new HttpGet(uri) : new HttpPost(uri);
        request.setConfig(config);
        if (body != null) request.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_JSON));
        if (bearer != null) request.setHeader(HttpHeaders.AUTHORIZATION, "Bearer " + bearer);
        return http.execute(request, HttpClientContext.create(), response -> {
            Header type = response.getFirstHeader(HttpHeaders.CONTENT_TYPE);
            byte[] bytes = response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
            return new Answer(response.getCode(), type == null ? null : type.getValue(), bytes);
        });
    }

    @Override
    public void close() {
        evictor.shutdown();
        http.close(org.apache.hc.core5.io.CloseMode.GRACEFUL);
    }

    static Timeout seconds(long s) {
        return Timeout.of(s, TimeUnit.SECONDS);
    }
}

package dev.lattice.bus.identity;

import dev.lattice.bus.KafkaSecurity;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Kafka users of their own (each platform service, a joined node's agent): a SCRAM-SHA-256 credential and the ACLs that let the user do its job and nothing else. Needs an
 * admin that is a super user of a cluster that runs an authorizer (the embedded broker does).
 * Kafka keeps both in its own metadata, so they survive restarts and reach every broker.
 */
public final class KafkaIdentities {
    public static final String MECHANISM = "SCRAM-SHA-256";
    private static final int ITERATIONS = 8192;
    private static final java.time.Duration SETTLE = java.time.Duration.ofSeconds(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    private KafkaIdentities() {}

    /**
     * What one user may touch. Topic names ending in {@code *} are prefixes.
     *
     * @param read   topics it may read (and describe)
     * @param write    topics it may write (and describe)
     * @param describe topics it may only see exist (a client makes sure of the topics it uses)
     * @param groups   consumer groups it may join
     * @param transactionalIds transactional ids it may use (a state kind's single writer holds one)
     * @param create   topics it may create if they do not exist yet (a process makes sure of the topics it uses)
     */
    public record Grants(List<String> read, List<String> write, List<String> describe, List<String> groups,
                         List<String> transactionalIds, List<String> create) {
        public Grants {
            read = List.copyOf(read);
            write = List.copyOf(write);
            describe = List.copyOf(describe);
            groups = List.copyOf(groups);
            transactionalIds = List.copyOf(transactionalIds);
            create = List.copyOf(create);
        }

        /** Topics and groups only: no transactions, no topic of its own to create (a joined node's agent). */
        public Grants(List<String> read, List<String> write, List<String> describe, List<String> groups) {
            this(read, write, describe, groups, List.of(), List.of());
        }
    }

    /** A user's name and password, and the client settings that log in with them. */
    public record Credential(String username, String password) {
        public KafkaSecurity security() {
            return KafkaSecurity.scram(username, password);
        }

        @Override
        public String toString() {
            return "Credential[" + username + "]"; // never the password
        }
    }

    /** 256 random bits, URL-safe base64: nothing a JAAS line needs to quote. */
    public static String newPassword() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Makes {@code username} (or gives it a new password) and sets exactly {@code grants} as its ACLs. */
    public static Credential grant(Admin admin, String username, Grants grants) {
        return grantAll(admin, Map.of(username, grants)).get(username);
    }

    /**
     * As {@link #grant} for several users at once: one round of each admin call whatever their
     * number (the platform's services at each start), and one wait for the broker to apply them.
     */
    public static Map<String, Credential> grantAll(Admin admin, Map<String, Grants> users) {
        Map<String, Credential> made = new TreeMap<>();
        List<UserScramCredentialUpsertion> upserts = new ArrayList<>();
        for (String username : users.keySet()) {
            String password = newPassword();
            made.put(username, new Credential(username, password));
            upserts.add(new UserScramCredentialUpsertion(username, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, ITERATIONS), password));
        }
        String who = users.size() == 1 ? users.keySet().iterator().next() : users.size() + " users";
        call(() -> admin.alterUserScramCredentials(List.copyOf(upserts)).all().get(), "set the credential of " + who);
        setAcls(admin, users);
        return made;
    }

    /**
     * Sets exactly {@code users}' grants as their ACLs (whatever they log in with: ACLs name a
     * principal, not a mechanism) and waits until the broker applies them. Only the difference is
     * changed: ACLs already there stay (a user's clients are never refused for a moment), and a
     * call that changes nothing returns after one read.
     */
    public static void setAcls(Admin admin, Map<String, Grants> users) {
        String who = users.size() == 1 ? users.keySet().iterator().next() : users.size() + " users";
        java.util.Set<String> principals = new java.util.HashSet<>();
        users.keySet().forEach(u -> principals.add("User:" + u));
        java.util.Set<AclBinding> wanted = new java.util.LinkedHashSet<>();
        users.forEach((username, grants) -> wanted.addAll(bindings(username, grants)));
        java.util.Set<AclBinding> present = new java.util.HashSet<>();
        call(() -> present.addAll(aclsOf(admin, principals)), "read the ACLs of " + who);
        List<AclBinding> extra = present.stream().filter(b -> !wanted.contains(b)).toList();
        List<AclBinding> missing = wanted.stream().filter(b -> !present.contains(b)).toList();
        if (!extra.isEmpty()) call(() -> admin.deleteAcls(extra.stream().map(AclBinding::toFilter).toList()).all().get(),
                "remove old ACLs of " + who);
        if (!missing.isEmpty()) call(() -> admin.createAcls(missing).all().get(), "set the ACLs of " + who);
        if (extra.isEmpty() && missing.isEmpty()) return;
        // The controller has them now; the broker applies its metadata a moment later. A client
        // that came at once would be refused (seen: the agent's first topic check), so wait for it.
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                java.util.Set<AclBinding> now = aclsOf(admin, principals);
                if (now.containsAll(wanted) && extra.stream().noneMatch(now::contains)) break;
                Thread.sleep(50);
            } catch (ExecutionException e) {
                throw failed("read back the ACLs of " + who, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    /**
     * The ACLs naming these principals, asked per principal: an external cluster may hold many
     * others', which are none of ours to read (all at once, the questions sent before any answer).
     */
    private static java.util.Set<AclBinding> aclsOf(Admin admin, java.util.Set<String> principals)
            throws ExecutionException, InterruptedException {
        List<org.apache.kafka.common.KafkaFuture<java.util.Collection<AclBinding>>> asked = new ArrayList<>();
        for (String principal : principals) {
            asked.add(admin.describeAcls(new AclBindingFilter(ResourcePatternFilter.ANY,
                    new AccessControlEntryFilter(principal, null, AclOperation.ANY, AclPermissionType.ANY))).values());
        }
        java.util.Set<AclBinding> all = new java.util.HashSet<>();
        for (var answer : asked) all.addAll(answer.get());
        return all;
    }

    /** The SCRAM users the cluster knows, by name. */
    public static List<String> users(Admin admin) {
        try {
            return List.copyOf(admin.describeUserScramCredentials().users().get());
        } catch (ExecutionException e) {
            throw failed("list its users", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Removes {@code username}'s credential and ACLs: its open connections fail at their next re-authentication or reconnect. */
    public static void revoke(Admin admin, String username) {
        try {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion(username, ScramMechanism.SCRAM_SHA_256))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof ResourceNotFoundException)) throw failed("remove the credential of " + username, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        call(() -> admin.deleteAcls(List.of(filterFor(username))).all().get(), "clear the ACLs of " + username);
    }

    /** The ACLs {@code grants} stand for: what {@link #grant} sets, what an operator of a cluster would create. */
    public static List<AclBinding> bindings(String username, Grants grants) {
        String principal = "User:" + username;
        List<AclBinding> acls = new ArrayList<>();
        for (String t : grants.read()) {
            acls.add(allow(topic(t), principal, AclOperation.READ));
            acls.add(allow(topic(t), principal, AclOperation.DESCRIBE));
        }
        for (String t : grants.write()) {
            acls.add(allow(topic(t), principal, AclOperation.WRITE));
            acls.add(allow(topic(t), principal, AclOperation.DESCRIBE));
        }
        for (String t : grants.describe()) acls.add(allow(topic(t), principal, AclOperation.DESCRIBE));
        for (String t : grants.create()) acls.add(allow(topic(t), principal, AclOperation.CREATE));
        for (String g : grants.groups()) {
            acls.add(allow(new ResourcePattern(ResourceType.GROUP, g, PatternType.LITERAL), principal, AclOperation.READ));
        }
        for (String id : grants.transactionalIds()) {
            ResourcePattern tx = new ResourcePattern(ResourceType.TRANSACTIONAL_ID, id, PatternType.LITERAL);
            acls.add(allow(tx, principal, AclOperation.WRITE));
            acls.add(allow(tx, principal, AclOperation.DESCRIBE));
        }
        return List.copyOf(new java.util.LinkedHashSet<>(acls)); // a topic both read and written is described once
    }

    /** One ACL as an operator reads it: {@code ALLOW WRITE on TOPIC lattice.state.user} ({@code PREFIXED} when a prefix). */
    public static String describe(AclBinding b) {
        ResourcePattern r = b.pattern();
        return b.entry().permissionType() + " " + b.entry().operation() + " on " + r.resourceType() + " " + r.name()
                + (r.patternType() == PatternType.PREFIXED ? "* (prefix)" : "");
    }

    private static ResourcePattern topic(String name) {
        return name.endsWith("*") ? new ResourcePattern(ResourceType.TOPIC, name.substring(0, name.length() - 1), PatternType.PREFIXED)
                : new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
    }

    private static AclBinding allow(ResourcePattern pattern, String principal, AclOperation op) {
        return new AclBinding(pattern, new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
    }

    private static AclBindingFilter filterFor(String username) {
        return new AclBindingFilter(ResourcePatternFilter.ANY,
                new AccessControlEntryFilter("User:" + username, null, AclOperation.ANY, AclPermissionType.ANY));
    }

    private interface Call {
        void run() throws ExecutionException, InterruptedException;
    }

    private static void call(Call call, String what) {
        try {
            call.run();
        } catch (ExecutionException e) {
            throw failed(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + what, e);
        }
    }

    private static IllegalStateException failed(String what, ExecutionException e) {
        return new IllegalStateException("Kafka refused to " + what + ": " + e.getCause().getMessage()
                + " (the cluster needs SCRAM-SHA-256 and an authorizer, and the platform must be a super user)", e.getCause());
    }
}

package dev.lattice.bus.identity;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * The cluster's users and their ACLs, as the node manager gives joining hosts theirs: a view of
 * {@link KafkaIdentities} on one process's admin client, so that no service names a Kafka type.
 */
public final class ClusterIdentities {
    private final Admin admin;

    public ClusterIdentities(Admin admin) {
        this.admin = admin;
    }

    /** A Kafka user of its own with exactly {@code grants} (a new password each call). */
    public KafkaIdentities.Credential grant(String username, KafkaIdentities.Grants grants) {
        return KafkaIdentities.grant(admin, username, grants);
    }

    /** The SCRAM users of the cluster, by name (those {@link #grant} made among them). */
    public List<String> users() {
        return KafkaIdentities.users(admin);
    }

    /** Sets exactly these users' grants as their ACLs, changing only what differs (see {@link KafkaIdentities#setAcls}). */
    public void setGrants(Map<String, KafkaIdentities.Grants> users) {
        KafkaIdentities.setAcls(admin, users);
    }

    /** Removes a user made by {@link #grant}. */
    public void revoke(String username) {
        KafkaIdentities.revoke(admin, username);
    }
}

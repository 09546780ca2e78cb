package dev.lattice.models;

import dev.lattice.api.models.ModelBinding;
import dev.lattice.api.models.ModelCommands;
import dev.lattice.api.models.ModelVersion;
import dev.lattice.bus.rpc.Handler;
import dev.lattice.bus.rpc.Request;
import dev.lattice.bus.state.StateOwner;
import dev.lattice.bus.state.StateView;
import dev.lattice.core.LatticeException;
import dev.lattice.core.Principal;
import dev.lattice.core.Role;
import java.time.Clock;
import java.util.Map;

/**
 * {@code bind-sensors}: records which sensors' readings a model predicts. The gateway checked that
 * the sensors exist (it follows them; this service does not) and its stream predictor does the
 * predicting; here the binding is kept, one per model, replaced as a whole.
 */
final class BindingCommands {
    private static final Role[] WRITERS = {Role.ADMIN, Role.DATA_SCIENTIST};

    private final StateView<ModelVersion> versions;
    private final StateOwner<ModelBinding> bindings;
    private final Clock clock;

    BindingCommands(StateView<ModelVersion> versions, StateOwner<ModelBinding> bindings, Clock clock) {
        this.versions = versions;
        this.bindings = bindings;
        this.clock = clock;
    }

    Map<String, Handler> handlers() {
        return Map.of(ModelCommands.BIND, this::bind);
    }

    private ModelBinding bind(Request request) {
        if (request.principal().kind() == Principal.Kind.SERVICE)
            throw LatticeException.forbidden("service '" + request.principal().name() + "' may not bind sensors");
        request.require(WRITERS);
        var body = request.payload(ModelCommands.Bind.class);
        if (versions.list().stream().noneMatch(v -> v.value().name().equals(body.name())))
            throw LatticeException.notFound("models:not-found", "model '" + body.name() + "' does not exist");
        ModelBinding b = new ModelBinding(body.name(), body.sensors(), request.principal().name(), clock.instant());
        var current = bindings.view().get(b.model());
        if (current.isEmpty()) bindings.create(b.model(), b, b.by());
        else bindings.update(b.model(), current.get().version(), b, b.by());
        return b;
    }
}

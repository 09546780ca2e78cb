/** Model contracts: the declarative YAML/JSON that turns a JSON request into model rows and the model's rows into a JSON answer. */
package dev.lattice.api.models.contract;

/**
 * What the models service shares: model versions and deployments, their config and commands,
 * and the signature of a model as plain data (reading one from a file needs ONNX Runtime and
 * stays in the models service).
 */
package dev.lattice.api.models;

/**
 * The example models under {@code examples/models}, written reproducibly from Java (training in
 * plain Java, ONNX protobuf written by hand) because no ONNX tooling runs on the build machines.
 */
package dev.lattice.models.examples;

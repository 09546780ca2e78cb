/** Model versions and the ONNX checks made at upload; the models service. Its records and contracts are in {@code dev.lattice.api.models}. */
package dev.lattice.models;

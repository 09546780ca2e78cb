/** Model versions, their contracts and the ONNX checks made at upload; the models service. */
package dev.lattice.models;

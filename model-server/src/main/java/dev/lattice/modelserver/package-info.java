/** The model server: one model version behind predict, the Open Inference Protocol V2 and metrics. */
package dev.lattice.modelserver;

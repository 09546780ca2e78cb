/** The API's OpenAPI 3.1 description, made from the gateway's own route table. */
package dev.lattice.gateway.openapi;

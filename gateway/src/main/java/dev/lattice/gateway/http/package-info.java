/** HTTP mechanics shared by every route: the route table with its access rules, bodies, paging and problem+json errors. */
package dev.lattice.gateway.http;

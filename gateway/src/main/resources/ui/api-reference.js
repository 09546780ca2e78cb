// The API reference page: Swagger UI on /api/v1/openapi.json. "Try it out" sends the token the
// console keeps for this tab (sessionStorage), so a signed-in user's calls carry their role.
/* global SwaggerUIBundle */
SwaggerUIBundle({
  url: '/api/v1/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  requestInterceptor: (req) => {
    try {
      const saved = JSON.parse(sessionStorage.getItem('lattice.session') || 'null');
      if (saved && saved.token && !req.headers.Authorization) req.headers.Authorization = 'Bearer ' + saved.token;
    } catch (e) { /* no session: the call goes without a token */ }
    return req;
  },
});

/** What a response says about CORS: its status and the headers a browser reads to allow a call. */
export const corsOf = (response: Response) => ({
  status: response.status,
  allowOrigin: response.headers.get('access-control-allow-origin'),
  allowMethods: response.headers.get('access-control-allow-methods'),
  allowHeaders: response.headers.get('access-control-allow-headers'),
  maxAge: response.headers.get('access-control-max-age'),
});

/** Who is calling, as proven by a valid token. */
export interface AuthUser {
  id: number;
  username: string;
  /** The raw token, echoed back in `user` responses as RealWorld expects. */
  token: string;
}

export interface JwtPayload {
  sub: number;
  username: string;
}

/** An authenticated API call: the token's session plus the headers that qualify the call. */
export interface Session {
  token: string;
  clientId: string;
  userName: string;
  /** The GSTIN the token was issued for (= the `Gstin` header). */
  gstin: string;
  sek: Buffer;
  /** `sup_gstin` header: the supplier an e-commerce operator acts for. */
  supplierGstin?: string;
}

/** The credential headers of a call, already read under either spelling (§1). */
export interface CredentialHeaders {
  clientId?: string;
  clientSecret?: string;
  gstin?: string;
  userName?: string;
  authToken?: string;
  supplierGstin?: string;
}

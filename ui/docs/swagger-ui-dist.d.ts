/** The little of swagger-ui-dist's untyped browser bundle that reference-page.ts uses. */
declare module "swagger-ui-dist/swagger-ui-bundle.js" {
  export interface SwaggerRequest {
    url: string;
    headers: Record<string, string>;
  }
  export interface SwaggerUi {
    preauthorizeApiKey(scheme: string, key: string): void;
  }
  export default function SwaggerUIBundle(options: {
    url: string;
    dom_id: string;
    deepLinking?: boolean;
    validatorUrl?: string | null;
    tryItOutEnabled?: boolean;
    displayRequestDuration?: boolean;
    requestInterceptor?: (request: SwaggerRequest) => SwaggerRequest;
    onComplete?: () => void;
  }): SwaggerUi;
}

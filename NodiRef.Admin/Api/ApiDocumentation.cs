using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace NodiRef.Admin.Api;

/// <summary>Endpoint metadata: the list query a route accepts, for its OpenAPI description.</summary>
public sealed record ListQueryMetadata(ListSpec Spec);

/// <summary>Endpoint metadata: the route honours an Idempotency-Key header.</summary>
public sealed record IdempotencyKeyMetadata;

/// <summary>The OpenAPI document (generated from the endpoints) and the interactive reference page.</summary>
public static class ApiDocumentation
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/api-reference";

    public static RouteHandlerBuilder WithListQuery(this RouteHandlerBuilder builder, ListSpec spec) =>
        builder.WithMetadata(new ListQueryMetadata(spec));

    public static RouteHandlerBuilder WithIdempotencyKey(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new IdempotencyKeyMetadata());

    public static IServiceCollection AddApiDocumentation(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true
                || description.RelativePath?.StartsWith("v1/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "NodiRef private API",
                    Version = "v1",
                    Description = "Manage projects, partners and referral links from your own backend. "
                        + "Authenticate with `Authorization: Bearer <token>` (admins create tokens on the API Tokens page or with "
                        + "`dotnet run --project NodiRef.Admin -- create-token`). JSON uses snake_case; lists answer "
                        + "`{\"success\": true, \"data\": [...], \"meta\": {\"page\", \"page_size\", \"total\"}}`; errors are RFC 9457 problem details.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An API token, e.g. nr_AbCdEf12_...",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] }];
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer(ApiRequestSchemas.Apply);
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                operation.Parameters ??= [];
                if (metadata.OfType<Microsoft.AspNetCore.Authorization.IAllowAnonymous>().Any())
                {
                    // The public tracking API needs no token.
                    operation.Security = [];
                }

                if (metadata.OfType<ListQueryMetadata>().FirstOrDefault() is { } list)
                {
                    foreach (var filter in list.Spec.Filters)
                    {
                        operation.Parameters.Add(Query($"filter[{filter}]", $"Only items whose {filter} matches.", JsonSchemaType.String));
                    }

                    operation.Parameters.Add(Query("page[number]", $"Page to return, 1-{ListQuery.MaxPageNumber} (default 1). Alias: page.", JsonSchemaType.Integer));
                    operation.Parameters.Add(Query("page[size]", $"Items per page, 1-{ListQuery.MaxPageSize} (default {ListQuery.DefaultPageSize}). Alias: item_per_page.", JsonSchemaType.Integer));
                    operation.Parameters.Add(Query("page", "Same as page[number].", JsonSchemaType.Integer));
                    operation.Parameters.Add(Query("item_per_page", "Same as page[size].", JsonSchemaType.Integer));
                    operation.Parameters.Add(Query("sort", $"One of {string.Join(", ", list.Spec.SortNames)}; prefix with - for descending.", JsonSchemaType.String));
                    if (list.Spec.Includes.Length > 0)
                    {
                        operation.Parameters.Add(Query("include", $"Comma-separated relations to embed: {string.Join(", ", list.Spec.IncludeNames)}.", JsonSchemaType.String));
                    }
                }

                if (metadata.OfType<IdempotencyKeyMetadata>().Any())
                {
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = IdempotencyMiddleware.Header,
                        In = ParameterLocation.Header,
                        Description = "Optional. A retry with the same key and body returns the first answer without a second write; the same key with another body is a 422.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 255 },
                    });
                }

                return Task.CompletedTask;
            });
        });

    public static IEndpointRouteBuilder MapApiDocumentation(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapOpenApi(DocumentPath).AllowAnonymous();
        endpoints.MapScalarApiReference(ReferencePath, options =>
            {
                options.WithTitle("NodiRef API reference")
                    .WithOpenApiRoutePattern(DocumentPath)
                    .AddPreferredSecuritySchemes("bearer");
                // A self-hosted reference: no vendor toolbar, no AI agent, no telemetry, no external fonts.
                options.ShowDeveloperTools = DeveloperToolsVisibility.Never;
                options.Agent = new ScalarAgentOptions { Disabled = true };
                options.Telemetry = false;
                options.DefaultFonts = false;
            })
            .AllowAnonymous();
        return endpoints;
    }

    private static OpenApiParameter Query(string name, string description, JsonSchemaType type) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Description = description,
        Required = false,
        Schema = new OpenApiSchema { Type = type },
    };
}

using System.Reflection;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace NodiRef.Admin.Api;

/// <summary>Endpoint metadata: the route honours an Idempotency-Key header.</summary>
public sealed record IdempotencyKeyMetadata;

/// <summary>The OpenAPI document (generated from the endpoints) and the interactive reference page.</summary>
public static class ApiDocumentation
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string ReferencePath = "/api-reference";

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

            // A filter value (Filter<T>) is written as text in the query: a plain string where it is used, not an object of its own.
            options.CreateSchemaReferenceId = type => IsFilter(type.Type) ? null : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if (IsFilter(context.JsonTypeInfo.Type))
                {
                    schema.Type = JsonSchemaType.String;
                    schema.Properties = null;
                    schema.Required = null;
                    schema.AdditionalPropertiesAllowed = true;
                }

                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                operation.Parameters ??= [];
                if (metadata.OfType<Microsoft.AspNetCore.Authorization.IAllowAnonymous>().Any())
                {
                    // The public tracking API needs no token.
                    operation.Security = [];
                }

                if (ListOf(metadata) is { } list)
                {
                    // The filters are the handler's [AsParameters] record; the conventions every list shares are added here.
                    foreach (var parameter in operation.Parameters.OfType<OpenApiParameter>().Where(p => p.Name?.StartsWith("filter[", StringComparison.Ordinal) == true))
                    {
                        parameter.Description = $"Only items whose {parameter.Name!["filter[".Length..^1]} matches.";
                    }

                    operation.Parameters.Add(Query("page[number]", $"Page to return, 1-{ListQuery.MaxPageNumber} (default 1). Alias: page.", JsonSchemaType.Integer));
                    operation.Parameters.Add(Query("page[size]", $"Items per page, 1-{ListQuery.MaxPageSize} (default {ListQuery.DefaultPageSize}). Alias: item_per_page.", JsonSchemaType.Integer));
                    operation.Parameters.Add(Query("page", "Same as page[number].", JsonSchemaType.Integer));
                    operation.Parameters.Add(Query("item_per_page", "Same as page[size].", JsonSchemaType.Integer));
                    operation.Parameters.Add(Query("sort", $"One of {string.Join(", ", list.SortNames)}; prefix with - for descending.", JsonSchemaType.String));
                    if (list.Includes.Length > 0)
                    {
                        operation.Parameters.Add(Query("include", $"Comma-separated relations to embed: {string.Join(", ", list.IncludeNames)}.", JsonSchemaType.String));
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

    /// <summary>The list spec of a route whose handler binds a filters record (<see cref="IListFilters{TQuery}"/>) with [AsParameters].</summary>
    private static ListSpec? ListOf(IList<object> metadata) =>
        metadata.OfType<MethodInfo>().SelectMany(m => m.GetParameters())
            .Where(p => p.GetCustomAttribute<AsParametersAttribute>() is not null
                && p.ParameterType.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IListFilters<>)))
            .Select(p => ListSpec.Of(p.ParameterType))
            .FirstOrDefault();

    private static bool IsFilter(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type) is { IsGenericType: true } t && t.GetGenericTypeDefinition() == typeof(Filter<>);

    private static OpenApiParameter Query(string name, string description, JsonSchemaType type) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Description = description,
        Required = false,
        Schema = new OpenApiSchema { Type = type },
    };
}

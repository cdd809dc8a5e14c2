using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using MudBlazor.Services;
using NodiRef.Admin.Components.Account;
using NodiRef.Admin.Features.ApiTokens;
using NodiRef.Admin.Features.Audit;
using NodiRef.Admin.Features.Conversions;
using NodiRef.Admin.Features.Overview;
using NodiRef.Admin.Features.Partners;
using NodiRef.Admin.Features.Projects;
using NodiRef.Admin.Features.ReferralLinks;
using NodiRef.Admin.Features.Rewards;
using NodiRef.Admin.Features.Setup;
using NodiRef.Admin.Features.Tracking;
using NodiRef.Admin.Features.Webhooks;
using NodiRef.Admin.Features.Users;

namespace NodiRef.Admin.Hosting;

public static class AppServices
{
    /// <summary>How long a session cookie is trusted before its security stamp is checked again.</summary>
    public static readonly TimeSpan CookieStampValidation = TimeSpan.FromSeconds(10);

    /// <summary>Sign-in rules of the back-office; the tests apply the same ones.</summary>
    public static void ConfigureIdentity(IdentityOptions options)
    {
        // Length over composition (NIST SP 800-63B): at least 12 characters, no forced character classes.
        options.Password.RequiredLength = 12;
        options.Password.RequireDigit = false;
        options.Password.RequireLowercase = false;
        options.Password.RequireUppercase = false;
        options.Password.RequireNonAlphanumeric = false;
        options.Password.RequiredUniqueChars = 4;
        options.Lockout.AllowedForNewUsers = true;
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        options.User.RequireUniqueEmail = true;

        // No mail server on a typical self-hosted install: confirmation must not block sign-in.
        options.SignIn.RequireConfirmedAccount = false;
        options.SignIn.RequireConfirmedEmail = false;
    }

    /// <summary>Where the app listens when nobody says (README, the launch profile's old address).</summary>
    public const string DefaultUrl = "http://localhost:5080";

    /// <summary>Whether no address is configured: no <c>urls</c> (ASPNETCORE_URLS, --urls), no HTTP(S) ports, no Kestrel endpoints.</summary>
    public static bool ListensWhereNotSaid(IConfiguration configuration) =>
        string.IsNullOrWhiteSpace(configuration["urls"])
        && string.IsNullOrWhiteSpace(configuration["http_ports"])
        && string.IsNullOrWhiteSpace(configuration["https_ports"])
        && !configuration.GetSection("Kestrel:Endpoints").Exists();

    public static WebApplicationBuilder AddNodiRef(this WebApplicationBuilder builder)
    {
        // Serve package assets (MudBlazor's CSS and JS) from the build output in every
        // environment, not only Development; a published app has them in wwwroot anyway.
        builder.WebHost.UseStaticWebAssets();

        // One default address however the app is started (dotnet run has no launch-profile address, so
        // ASPNETCORE_URLS reaches the app there too); any address given by the usual means wins.
        if (ListensWhereNotSaid(builder.Configuration))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        // Every body, whatever its transfer encoding (a chunked one has no Content-Length to check), is held to
        // the API's limit; the pipeline sets the same per request for servers other than Kestrel. No Server header.
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = ApiRoutes.MaxBodyBytes;
            kestrel.AddServerHeader = false;
        });

        var services = builder.Services;
        var database = DatabaseConfiguration.Resolve(builder.Configuration, builder.Environment.ContentRootPath);

        // One context per service operation (Blazor circuits are long-lived and concurrent);
        // the factory also registers a scoped context for Identity's stores.
        services.AddSingleton(database);
        services.AddSingleton<DatabaseReadiness>();
        services.AddAppDatabase(database.Provider, options => options.UseAppDatabase(database.Provider, database.ConnectionString, database.SqliteSynchronous));

        // Keys in the database: a cookie or antiforgery token issued by one instance is read by any
        // other. The fixed application name makes instances installed in different folders one app.
        services.AddDataProtection()
            .SetApplicationName("NodiRef.Admin")
            .PersistKeysToDbContext<AppDbContext>();

        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, CurrentUserCircuitHandler>();
        services.AddServiceLayer(builder.Configuration)
            .AddSignInManager()
            .AddClaimsPrincipalFactory<AppClaimsFactory>();

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices(config =>
        {
            config.SnackbarConfiguration.PositionClass = MudBlazor.Defaults.Classes.Position.BottomRight;
            config.SnackbarConfiguration.PreventDuplicates = false;
        });

        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.Configure<SignInFormOptions>(builder.Configuration.GetSection(SignInFormOptions.Section));
        services.AddSingleton<SignInGuard>();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/Account/Login";
            options.AccessDeniedPath = "/Account/AccessDenied";
            options.SlidingExpiration = true;
            options.ExpireTimeSpan = TimeSpan.FromHours(12);
        });

        // How soon a changed security stamp (sign-out, disabled account, new role or password) ends every
        // copy of a session cookie. Each validation reads the user and re-issues the cookie; with a few
        // seconds that happens at most once per burst of requests (a page and its assets), not on each one.
        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = CookieStampValidation);
        services.AddAuthorization();

        // Secure whenever the request came over https, directly or through a trusted proxy (ProxyHeaders);
        // the antiforgery cookie's own default would never be.
        services.AddAntiforgery(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.AddProxyHeaders();

        // Before the API's handler: exception handlers run in order, and this one only restores headers.
        services.AddSecurityHeaders();
        services.AddPrivateApi();
        services.AddTracking(builder.Configuration);
        services.AddHostedService(sp => sp.GetRequiredService<ConversionProcessor>());
        services.AddHostedService(sp => sp.GetRequiredService<AuditRetention>());
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        services.AddHealthChecks()
            .AddDbContextCheck<AppDbContext>("database", tags: ["ready"])
            .AddCheck<DatabaseWriteCheck>(DatabaseWriteCheck.Name, tags: ["ready"]);

        // The key ring lives in the database, which is prepared after the app listens: data protection's own
        // start-up read would find no table on a fresh install and log it as errors. Keys are read on first
        // use instead, which comes after the database is ready (every route but /health/live waits for it).
        foreach (var early in services.Where(d => d.ServiceType == typeof(IHostedService)
            && d.ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService").ToList())
        {
            services.Remove(early);
        }

        return builder;
    }

    /// <summary>One service per area, one instance per scope (a circuit, a request, a command).</summary>
    public static readonly Type[] AreaServices =
    [
        typeof(ProjectService), typeof(PartnerService), typeof(ReferralLinkService), typeof(UserService), typeof(ClickService),
        typeof(ReferralService), typeof(ConversionService), typeof(RuleSetService), typeof(RewardService), typeof(ApiTokenService),
        typeof(OverviewService), typeof(GettingStartedService), typeof(AuditService), typeof(WebhookService),
    ];

    /// <summary>
    /// The service layer: one service per area, who is acting, and the people store. The host, the tests
    /// and the command line all register it here, so a new service is added once. The caller supplies the
    /// database (<see cref="AppDatabase.AddAppDatabase"/>), a <see cref="TimeProvider"/> and
    /// <see cref="DatabaseReadiness"/>; the host adds sign-in and the background loops on top.
    /// </summary>
    public static IdentityBuilder AddServiceLayer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<CurrentUser>();
        services.AddScoped<AppDbFactory>();
        foreach (var service in AreaServices)
        {
            services.AddScoped(service);
        }

        services.AddSingleton<FirstAdminSetup>();
        services.Configure<OverviewOptions>(configuration.GetSection(OverviewOptions.Section));
        services.AddSingleton<OverviewStandings>();
        services.Configure<ConversionOptions>(configuration.GetSection(ConversionOptions.Section));
        services.AddSingleton<ConversionSignal>();
        services.AddSingleton<ConversionProcessor>();
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection(AuditOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AuditRetention>();
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection(WebhookOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<WebhookSigning>();
        services.AddSingleton<OutboundAddresses>();
        services.AddSingleton<WebhookSignal>();
        services.AddSingleton<WebhookDispatcher>();
        // The click log's single writer (the host runs its loop as a hosted service; tests start it when they need it).
        services.AddSingleton<ClickWriter>();
        return services.AddIdentityCore<ApplicationUser>(ConfigureIdentity)
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddDefaultTokenProviders();
    }
}

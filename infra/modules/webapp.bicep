// App Service plan and the web app (Linux, .NET 10): coordinator pages, participant links and the JSON API. A client
// of the Functions app's task hub (same storage account, same hub): it starts processes and reads them, it runs none.
param location string
param planName string
param appName string
param identityId string
param identityClientId string
param storageAccountName string
param keyVaultName string
param entraTenantId string
param entraClientId string
param sendGridSender string
param mailFromName string

@description('App Service plan size; P0v3 keeps "always on" and two instances affordable.')
param skuName string

@secure()
param insightsConnectionString string

func secretRef(vault string, secret string) string => '@Microsoft.KeyVault(VaultName=${vault};SecretName=${secret})'

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  kind: 'linux'
  sku: {
    name: skuName
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      linuxFxVersion: 'DOTNETCORE|10.0'
      alwaysOn: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      healthCheckPath: '/health/ready'
    }
  }

  // Deployments go through Entra ID (az webapp deploy), never with a publishing password.
  resource ftp 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }

  resource scm 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: {
      AzureWebJobsStorage__accountName: storageAccountName
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: insightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=${identityClientId}'
      // A client of the task hub only; the Functions app runs the processes and the housekeeping timers.
      Durable__EnableWorker: 'false'
      Privacy__PurgeInterval: '00:00:00'
      Calendar__Graph__ReplyPollInterval: '00:00:00'
      Dialoog__PublicBaseUrl: 'https://${appName}.azurewebsites.net'
      // E-mails the web sends itself (the initiative form's confirmation) go out like the processes' e-mails.
      Mail__Provider: 'SendGrid'
      Mail__FromAddress: sendGridSender
      Mail__FromName: mailFromName
      Mail__SendGrid__ApiKey: secretRef(keyVaultName, 'sendgrid-api-key')
      Links__SigningKey: secretRef(keyVaultName, 'link-signing-key')
      Api__CoordinatorApiKey: secretRef(keyVaultName, 'coordinator-api-key')
      Auth__Mode: 'Entra'
      Auth__Entra__Instance: environment().authentication.loginEndpoint
      Auth__Entra__TenantId: entraTenantId
      Auth__Entra__ClientId: entraClientId
      Auth__Entra__ClientSecret: secretRef(keyVaultName, 'entra-client-secret')
    }
  }
}

output name string = app.name
output url string = 'https://${app.properties.defaultHostName}'

// Flex Consumption plan and the Function App that runs the published custom handler (host.json, function folders).
param location string
param planName string
param appName string
param identityId string
param identityClientId string
param storageAccountName string
param deploymentContainerUrl string
param keyVaultName string
param sendGridSender string
param mailFromName string
param graphTenantId string
param graphClientId string
param organizerMailbox string
param maximumInstanceCount int

@secure()
param insightsConnectionString string

var useGraph = !empty(graphTenantId)

// A Key Vault reference, resolved by the platform with the app identity (keyVaultReferenceIdentity).
func secretRef(vault string, secret string) string => '@Microsoft.KeyVault(VaultName=${vault};SecretName=${secret})'

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  kind: 'functionapp,linux'
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
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        // One instance always ready: the Durable Task engine runs inside the app's process, and durable timers
        // (reminders, deadlines) only fire while a worker runs. Scale to zero returns with the Durable Functions app.
        alwaysReady: [
          {
            name: 'http'
            instanceCount: 1
          }
        ]
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: 2048
      }
      runtime: {
        name: 'custom'
        version: '1.0'
      }
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: {
      // Read by the Functions host and by the app in the same way: managed identity, no keys.
      AzureWebJobsStorage__accountName: storageAccountName
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: insightsConnectionString
      Dialoog__PublicBaseUrl: 'https://${app.properties.defaultHostName}'
      // The Durable Task engine's task hub (its tables, queues and lease blobs in the storage account).
      Durable__TaskHub: 'dialoog'
      Mail__Provider: 'SendGrid'
      Mail__FromAddress: sendGridSender
      Mail__FromName: mailFromName
      Mail__SendGrid__ApiKey: secretRef(keyVaultName, 'sendgrid-api-key')
      Calendar__Provider: useGraph ? 'Graph' : 'Ics'
      Calendar__Graph__TenantId: graphTenantId
      Calendar__Graph__ClientId: graphClientId
      Calendar__Graph__ClientSecret: useGraph ? secretRef(keyVaultName, 'graph-client-secret') : ''
      Calendar__Graph__OrganizerMailbox: organizerMailbox
      Links__SigningKey: secretRef(keyVaultName, 'link-signing-key')
      Api__CoordinatorApiKey: secretRef(keyVaultName, 'coordinator-api-key')
    }
  }
}

output name string = app.name
output url string = 'https://${app.properties.defaultHostName}'

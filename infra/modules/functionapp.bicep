// Flex Consumption plan and the Functions app (isolated worker, .NET 10) that runs every process: the Durable
// extension on the Azure Storage provider, task hub settings in host.json. It scales on the task hub's queues, to zero
// when nothing is due: the scale controller watches the control queues, durable timers included.
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

@description('Public https address of the web app: the links in every e-mail point there.')
param webUrl string

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
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: 2048
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: {
      // The Functions host, the Durable extension and the app's own clients all use the identity, no keys.
      AzureWebJobsStorage__accountName: storageAccountName
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: insightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=${identityClientId}'
      Dialoog__PublicBaseUrl: webUrl
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
    }
  }
}

output name string = app.name

// Dialoog on Azure: a Durable Functions app (isolated worker, Flex Consumption) that runs every process, a web app
// (App Service, Linux) for the pages, links and API as a client of the same task hub, one storage account (task hub,
// app tables, minutes, deployment package) reached by a user-assigned managed identity per app with only the roles it
// needs, secrets in Key Vault, telemetry in Application Insights (Entra ID only). Deploy: README "Deploy to Azure".
targetScope = 'resourceGroup'

@description('Short name of the environment, part of every resource name (for example test, prod).')
@minLength(2)
@maxLength(8)
param environmentName string

@description('Azure region; Flex Consumption must be available there.')
param location string = 'westeurope'

@description('Sender address of every e-mail; must be a verified SendGrid sender.')
param sendGridSender string

@description('Sender name shown in the inbox.')
param mailFromName string = 'Dialoog'

@description('Entra ID tenant of the Graph app registration; empty keeps calendar invitations as .ics attachments.')
param graphTenantId string = ''

@description('Client id of the Graph app registration that writes calendar events.')
param graphClientId string = ''

@description('Mailbox that organizes the calendar events and receives the replies.')
param organizerMailbox string = ''

@description('Entra ID tenant where coordinators sign in.')
param entraTenantId string = tenant().tenantId

@description('Client id of the app registration coordinators sign in with (app roles Dialoog.Coordinator, Dialoog.Admin).')
param entraClientId string

@description('App Service plan size of the web app.')
param webSku string = 'P0v3'

@description('Object id of the person or pipeline deploying, given Key Vault Secrets Officer to set the secrets; empty for none.')
param deployerPrincipalId string = ''

@description('Most instances the Functions app scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Secrets to store on this deployment; empty leaves the secret as it is (set it once, then keep it).')
@secure()
param sendGridApiKey string = ''

@secure()
param graphClientSecret string = ''

@description('Base64 of at least 32 random bytes (openssl rand -base64 32). Changing it breaks links already sent.')
@secure()
param linkSigningKey string = ''

@description('Base64 of at least 32 random bytes: the key callers of the coordinator API send.')
@secure()
param coordinatorApiKey string = ''

@description('Client secret of the sign-in app registration.')
@secure()
param entraClientSecret string = ''

var suffix = take(uniqueString(subscription().id, resourceGroup().id, environmentName), 8)
var names = {
  functionsIdentity: 'id-dialoog-func-${environmentName}'
  webIdentity: 'id-dialoog-web-${environmentName}'
  storage: 'stdialoog${take(environmentName, 4)}${suffix}'
  keyVault: 'kv-dialoog-${take(environmentName, 4)}-${suffix}'
  logs: 'log-dialoog-${environmentName}'
  insights: 'appi-dialoog-${environmentName}'
  plan: 'plan-dialoog-${environmentName}'
  app: 'func-dialoog-${environmentName}-${suffix}'
  webPlan: 'asp-dialoog-${environmentName}'
  web: 'app-dialoog-${environmentName}-${suffix}'
}
var deploymentContainer = 'app-package'
// The task hub both apps use: host.json's hubName, and the web app's default (Durable__TaskHub).
var taskHub = 'dialoog'
var webUrl = 'https://${names.web}.azurewebsites.net'

resource functionsIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: names.functionsIdentity
  location: location
}

resource webIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: names.webIdentity
  location: location
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    workspaceName: names.logs
    insightsName: names.insights
    publisherPrincipalIds: [functionsIdentity.properties.principalId, webIdentity.properties.principalId]
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    name: names.storage
    deploymentContainer: deploymentContainer
    taskHub: taskHub
    functionsPrincipalId: functionsIdentity.properties.principalId
    webPrincipalId: webIdentity.properties.principalId
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    name: names.keyVault
    readerPrincipalIds: [functionsIdentity.properties.principalId, webIdentity.properties.principalId]
    deployerPrincipalId: deployerPrincipalId
    secrets: {
      'sendgrid-api-key': sendGridApiKey
      'graph-client-secret': graphClientSecret
      'link-signing-key': linkSigningKey
      'coordinator-api-key': coordinatorApiKey
      'entra-client-secret': entraClientSecret
    }
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    location: location
    planName: names.plan
    appName: names.app
    identityId: functionsIdentity.id
    identityClientId: functionsIdentity.properties.clientId
    storageAccountName: storage.outputs.name
    webUrl: webUrl
    deploymentContainerUrl: '${storage.outputs.blobEndpoint}${deploymentContainer}'
    insightsConnectionString: monitoring.outputs.connectionString
    keyVaultName: keyVault.outputs.name
    sendGridSender: sendGridSender
    mailFromName: mailFromName
    graphTenantId: graphTenantId
    graphClientId: graphClientId
    organizerMailbox: organizerMailbox
    maximumInstanceCount: maximumInstanceCount
  }
}

module webApp 'modules/webapp.bicep' = {
  name: 'webapp'
  params: {
    location: location
    planName: names.webPlan
    appName: names.web
    skuName: webSku
    identityId: webIdentity.id
    identityClientId: webIdentity.properties.clientId
    storageAccountName: storage.outputs.name
    insightsConnectionString: monitoring.outputs.connectionString
    keyVaultName: keyVault.outputs.name
    entraTenantId: entraTenantId
    entraClientId: entraClientId
    sendGridSender: sendGridSender
    mailFromName: mailFromName
  }
}

output appUrl string = webApp.outputs.url
output webAppName string = webApp.outputs.name
output functionAppName string = functionApp.outputs.name
output storageAccountName string = storage.outputs.name
output keyVaultName string = keyVault.outputs.name
output functionsIdentityClientId string = functionsIdentity.properties.clientId
output webIdentityClientId string = webIdentity.properties.clientId
